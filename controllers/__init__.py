from . import link_tracker, mass_mailing, outreach_preferences
