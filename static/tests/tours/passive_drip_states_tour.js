import { registry } from "@web/core/registry";

// A recruiter opens a drip whose last send was refused by the mail server: a banner says so,
// "See undelivered" lists the candidate waiting to be sent again, the snoozed candidate shows
// as paused by the snooze, and Stop asks for a reason before stopping; Resume takes it back.
registry.category("web_tour.tours").add("hr_recruitment_passive_drip_states_tour", {
    steps: () => [
        {
            content: "Open the drip with an undelivered send",
            trigger: ".o_list_view .o_data_row:contains(Tour states drip) td[name='name']",
            run: "click",
        },
        {
            content: "The banner says the last send was not delivered",
            trigger: ".o_form_view .o_drip_undelivered_banner:contains(was not delivered)",
        },
        {
            content: "See the undelivered candidates",
            trigger: ".o_drip_undelivered_banner button[name='action_view_undelivered']",
            run: "click",
        },
        {
            content: "Grace waits for the message to be sent again",
            trigger:
                ".o_list_view .o_data_row:contains(Grace Failed):contains(Delivery failed, retrying)",
        },
        {
            content: "Only the undelivered one is listed",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(Linus Snoozed)))",
        },
        {
            content: "Remove the Undelivered filter",
            trigger: ".o_searchview .o_facet_remove",
            run: "click",
        },
        {
            content: "Linus is paused by his snooze, not running",
            trigger:
                ".o_list_view .o_data_row:contains(Linus Snoozed):contains(Snoozed by the candidate)",
        },
        {
            content: "Open Ada's enrollment",
            trigger: ".o_list_view .o_data_row:contains(Ada Running) td[name='applicant_id']",
            run: "click",
        },
        {
            content: "Stop (with a label, asks first)",
            trigger: ".o_form_view button[name='action_stop']:contains(Stop)",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit I follow up with her myself",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_stop']",
            run: "click",
        },
        {
            content: "Stopped, with the reason kept",
            trigger:
                "body:not(:has(.modal)) .o_form_view .o_field_widget[name='stop_comment']:contains(I follow up with her myself)",
        },
        {
            content: "Take it back",
            trigger: ".o_form_view button[name='action_resume']",
            run: "click",
        },
        {
            content: "Running again",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Running)",
        },
    ],
});
