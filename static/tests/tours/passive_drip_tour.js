import { registry } from "@web/core/registry";

function addStep({ name, channel, delay, template, body }) {
    const steps = [
        {
            content: `Add the step "${name}"`,
            trigger: ".o_field_widget[name='step_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Step name",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: `edit ${name}`,
        },
    ];
    if (channel) {
        steps.push(
            {
                content: "Step channel",
                trigger: ".modal .o_field_widget[name='channel'] input",
                run: "click",
            },
            {
                content: `Channel: ${channel}`,
                trigger: `.o_select_menu_menu .o_select_menu_item:contains(${channel})`,
                run: "click",
            }
        );
    }
    if (delay) {
        steps.push({
            content: "Delay after the previous step",
            trigger: ".modal .o_field_widget[name='delay'] input",
            run: `edit ${delay}`,
        });
    }
    steps.push({
        content: "Add a variant",
        trigger: ".modal .o_field_widget[name='variant_ids'] .o_field_x2many_list_row_add a",
        run: "click",
    });
    if (template) {
        steps.push(
            {
                content: "Variant email template",
                trigger:
                    ".modal .o_field_widget[name='variant_ids'] .o_data_row .o_field_widget[name='mail_template_id'] input",
                run: `edit ${template}`,
            },
            {
                content: `Pick ${template}`,
                trigger: `.o-autocomplete--dropdown-item:contains(${template})`,
                run: "click",
            }
        );
    } else {
        steps.push({
            content: "Variant message",
            trigger:
                ".modal .o_field_widget[name='variant_ids'] .o_data_row .o_field_widget[name='body'] textarea",
            run: `edit ${body}`,
        });
    }
    steps.push(
        {
            content: "Save the step",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The step is in the drip",
            trigger: `body:not(:has(.modal)) .o_field_widget[name='step_ids'] .o_data_row:contains(${name})`,
        }
    );
    return steps;
}

// A recruiter builds a three-step drip, enrolls two passive candidates from the list with the
// wizard, and opens the drip analytics.
registry.category("web_tour.tours").add("hr_recruitment_passive_drip_tour", {
    url: "/odoo/action-hr_recruitment_passive.hr_recruitment_drip_action",
    steps: () => [
        {
            content: "Create a drip sequence",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name the drip",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Tour nurture: data engineers",
        },
        ...addStep({ name: "First touch", template: "Drip: first touch" }),
        ...addStep({
            name: "LinkedIn nudge",
            channel: "LinkedIn message",
            delay: "3",
            body: "Hi, did my email about the data platform reach you?",
        }),
        ...addStep({
            name: "Call",
            channel: "Phone call",
            delay: "7",
            body: "Ask whether a coffee with the team would be useful",
        }),
        {
            content: "Save the drip",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The drip is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Open the Passive Candidates menu",
            trigger:
                "button[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_passive_root']",
            run: "click",
        },
        {
            content: "Go to the passive candidate list",
            trigger:
                "a[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_passive_candidates']",
            run: "click",
        },
        {
            content: "Select Grace",
            trigger: ".o_list_view .o_data_row:contains(Grace Tourist) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Select Linus",
            trigger: ".o_list_view .o_data_row:contains(Linus Tourist) .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Add them to a drip sequence",
            trigger: "button[name='action_open_drip_enroll_wizard']",
            run: "click",
        },
        {
            content: "The wizard lists both candidates",
            trigger:
                ".modal .o_field_widget[name='applicant_ids']:contains(Grace Tourist):contains(Linus Tourist)",
        },
        {
            content: "Choose the drip",
            trigger: ".modal .o_field_widget[name='drip_id'] input",
            run: "edit Tour nurture",
        },
        {
            content: "Pick the new drip",
            trigger: ".o-autocomplete--dropdown-item:contains(Tour nurture: data engineers)",
            run: "click",
        },
        {
            content: "Enroll",
            trigger: ".modal button[name='action_enroll']",
            run: "click",
        },
        {
            content: "Both are enrolled",
            trigger: ".modal .o_field_widget[name='enrolled_count']:contains(2)",
        },
        {
            content: "Close the wizard",
            trigger: ".modal .modal-footer button.btn-primary:contains(Close)",
            run: "click",
        },
        {
            content: "Open the Passive Candidates menu",
            trigger:
                "body:not(:has(.modal)) button[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_passive_root']",
            run: "click",
        },
        {
            content: "Open the drip analytics",
            trigger: "a[data-menu-xmlid='hr_recruitment_passive.menu_hr_recruitment_drip_analytics']",
            run: "click",
        },
        {
            content: "The analytics show the figures of the drip that already sent messages",
            trigger: ".o_pivot_view .o_pivot:contains(Tour analytics drip):contains(Replied)",
        },
    ],
});
