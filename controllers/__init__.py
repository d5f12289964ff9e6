from . import mass_mailing, outreach_preferences
