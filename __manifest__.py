{
    "name": "Passive Candidate Nurturing",
    "summary": "Profile, touchpoint log and multi-channel nurturing of passive candidates "
    "in Odoo Recruitment talent pools",
    "version": "19.0.1.0.0",
    "category": "Human Resources/Recruitment",
    "author": "hr_recruitment_passive developers",
    "website": "https://github.com/hr-recruitment-passive/hr_recruitment_passive",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": [
        "hr_recruitment",
        "hr_recruitment_skills",
        "mass_mailing",
    ],
    "data": [
        "security/hr_recruitment_passive_security.xml",
        "security/ir.model.access.csv",
        "data/hr_talent_pool_data.xml",
        "data/ir_cron_data.xml",
        "views/hr_recruitment_touchpoint_views.xml",
        "views/hr_recruitment_occasion_views.xml",
        "views/hr_recruitment_resource_views.xml",
        "views/hr_recruitment_touchpoint_analysis_views.xml",
        "views/mail_template_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/hr_applicant_share_resource_views.xml",
        "wizards/hr_recruitment_touchpoint_classify_views.xml",
        "views/hr_applicant_views.xml",
        "views/hr_recruitment_passive_menus.xml",
        "data/mail_template_data.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "hr_recruitment_passive/static/src/js/message_actions.js",
        ],
        "web.assets_tests": [
            "hr_recruitment_passive/static/tests/tours/reply_classification_tour.js",
        ],
    },
    "installable": True,
}
