import { registry } from "@web/core/registry";
import { openPassiveCandidates } from "./tour_helper";
import { stepUtils } from "@web_tour/tour_utils";

// A recruiter finds an existing talent in a talent pool, flags it as passive and fills its
// passive profile, then finds it in Recruitment > Passive Candidates.
registry.category("web_tour.tours").add("hr_recruitment_passive_flag_talent_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Recruitment app",
            trigger: ".o_app[data-menu-xmlid='hr_recruitment.menu_hr_recruitment_root']",
            run: "click",
        },
        {
            content: "Open the Applications menu",
            trigger: "button[data-menu-xmlid='hr_recruitment.menu_crm_case_categ0_act_job']",
            run: "click",
        },
        {
            content: "Go to the talent pools",
            trigger: "a[data-menu-xmlid='hr_recruitment.menu_hr_talent_pools']",
            run: "click",
        },
        {
            content: "Open the talents of the pool",
            trigger: ".o_kanban_record:contains(Tour Backend Pool)",
            run: "click",
        },
        {
            content: "Open the talent",
            trigger: ".o_data_row .o_data_cell:contains(Grace Tourist)",
            run: "click",
        },
        {
            content: "Flag the talent as passive",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_mark_passive_candidate']",
            run: "click",
        },
        {
            content: "The new passive candidate has the outreach status New",
            trigger: ".o_form_view .o_field_widget[name='outreach_status']:contains(New)",
        },
        {
            content: "Open the Passive Profile tab",
            trigger: ".o_notebook .nav-link:contains(Passive Profile)",
            run: "click",
        },
        {
            content: "Current employer",
            trigger: ".o_field_widget[name='current_company'] input",
            run: "edit Initech",
        },
        {
            content: "Current title",
            trigger: ".o_field_widget[name='current_job_title'] input",
            run: "edit Staff Data Engineer",
        },
        {
            content: "Years of experience",
            trigger: ".o_field_widget[name='years_of_experience'] input",
            run: "edit 9",
        },
        {
            content: "Openness",
            trigger: ".o_field_widget[name='openness'] input",
            run: "click",
        },
        {
            content: "Openness: Open to offers",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Open to offers)",
            run: "click",
        },
        {
            content: "Timing",
            trigger: ".o_field_widget[name='desired_timing'] input",
            run: "click",
        },
        {
            content: "Timing: Within 6 months",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(Within 6 months)",
            run: "click",
        },
        {
            content: "Preferred channel",
            trigger: ".o_field_widget[name='preferred_channel'] input",
            run: "click",
        },
        {
            content: "Preferred channel: LinkedIn",
            trigger: ".o_select_menu_menu .o_select_menu_item:contains(LinkedIn)",
            run: "click",
        },
        {
            content: "Save the profile",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The profile is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        ...openPassiveCandidates(),
        {
            content: "The talent is listed with its profile",
            trigger:
                ".o_list_view .o_data_row:contains(Grace Tourist):contains(Initech):contains(Open to offers)",
        },
    ],
});
