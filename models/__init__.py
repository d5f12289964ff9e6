from . import hr_applicant
from . import hr_recruitment_contact_policy, hr_recruitment_touchpoint
from . import mail_thread, res_company, res_config_settings
