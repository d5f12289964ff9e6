from . import hr_applicant, hr_recruitment_touchpoint
