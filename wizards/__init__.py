from . import hr_recruitment_drip_enroll, hr_recruitment_drip_enroll_line
from . import hr_recruitment_drip_step_preview
from . import hr_applicant_share_resource, hr_recruitment_touchpoint_classify
from . import mail_compose_message
from . import hr_job_passive_match
from . import hr_recruitment_retention_preview
from . import hr_recruitment_drip_enrollment_stop, hr_recruitment_touchpoint_archive
