from . import hr_applicant
from . import hr_recruitment_contact_policy, hr_recruitment_touchpoint
