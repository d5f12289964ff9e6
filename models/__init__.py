from . import hr_recruitment_outreach_link, hr_recruitment_candidate_preference
from . import hr_recruitment_talent_figures, hr_recruitment_drip_candidate
from . import hr_recruitment_outreach_content, hr_recruitment_touchpoint_reply
from . import hr_applicant
from . import hr_recruitment_contact_policy, hr_recruitment_touchpoint
from . import hr_recruitment_engagement, hr_recruitment_cleanup
from . import hr_recruitment_forgotten_email, hr_recruitment_retention_log
from . import hr_recruitment_partner_usage, hr_recruitment_retention
from . import hr_recruitment_drip_stat_mixin, hr_recruitment_drip_content
from . import hr_recruitment_drip_ab_testing
from . import hr_recruitment_drip, hr_recruitment_drip_step, hr_recruitment_drip_step_variant
from . import hr_recruitment_drip_processing, hr_recruitment_drip_sending
from . import hr_recruitment_drip_enrollment
from . import mailing_mailing, mailing_trace, mail_activity
from . import mail_render_mixin
from . import mail_thread, res_company, res_config_settings
from . import hr_department, hr_recruitment_occasion, hr_recruitment_reply_classifier
from . import hr_recruitment_outreach_field
from . import hr_recruitment_resource, link_tracker_click, mail_template, hr_recruitment_ab_test
from . import sms_template
from . import hr_recruitment_drip_template_report
from . import ir_config_parameter, ir_qweb, ir_mail_server, res_users
from . import hr_job, hr_recruitment_availability_forecast
from . import mail_mail, sms_sms
