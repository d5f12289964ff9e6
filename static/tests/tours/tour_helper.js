/** Tour steps shared by the addon's tours. */

/** Open Recruitment ▸ Passive Candidates ▸ the passive candidate list. */
export function openPassiveCandidates() {
    return [
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
    ];
}
