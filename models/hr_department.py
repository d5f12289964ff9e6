from dataclasses import dataclass, field
from functools import partial

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.tools import format_date

# below this many people, an average tenure could tell one person's start date: not shown
MIN_HEADCOUNT_FOR_TENURE = 3


@dataclass(frozen=True)
class HiringFacts:
    """Aggregate, non-personal figures about a department, for outreach templates."""

    department: str = ""
    company: str = ""
    hires_3m: int = 0
    hires_6m: int = 0
    hires_12m: int = 0
    since_3m: str = ""
    since_6m: str = ""
    since_12m: str = ""
    headcount: int = 0
    headcount_12m_ago: int = 0
    headcount_growth: int | None = None
    average_tenure_years: float | None = None
    hiring_manager_name: str = ""
    hiring_manager_title: str = ""
    open_roles: int = 0
    open_role_names: tuple = field(default_factory=tuple)

    def __bool__(self):
        return bool(self.department)


class HrDepartment(models.Model):
    _inherit = "hr.department"

    def _outreach_hiring_facts(self, job=None, today=None):
        """Hiring figures of this department, computed once per transaction: a batch of emails
        renders them once per department; the next batch (after a commit) sees fresh data."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        key = ("hr_recruitment_passive.facts", self.id, job.id if job else 0, today, self.env.lang)
        cr = self.env.cr
        if key not in cr.cache:
            # sudo: aggregated hiring figures for templates: counts, no applicant data
            cr.cache[key] = self.sudo()._compute_passive_hiring_facts(job, today)
            forget = partial(cr.cache.pop, key, None)
            cr.postcommit.add(forget)
            cr.postrollback.add(forget)
        return cr.cache[key]

    def _compute_passive_hiring_facts(self, job, today):
        employees = (
            self.env["hr.employee"]
            .with_context(active_test=False)
            .search_fetch(
                [("department_id", "=", self.id), ("company_id", "=", self.company_id.id or False)]
                if self.company_id
                else [("department_id", "=", self.id)],
                ["active", "contract_date_start", "departure_date", "create_date"],
            )
        )
        start = {emp.id: emp.contract_date_start or emp.create_date.date() for emp in employees}
        current = employees.filtered("active")
        windows = {months: today - relativedelta(months=months) for months in (3, 6, 12)}
        hired = self._outreach_hired_applicants(windows[12])
        hires = {}
        for months, since in windows.items():
            people = {("employee", emp.id) for emp in current if start[emp.id] >= since}
            people.update(
                ("employee", app.employee_id.id) if app.employee_id else ("applicant", app.id)
                for app in hired
                if app.date_closed.date() >= since
            )
            hires[months] = len(people)
        then = windows[12]
        headcount_then = sum(
            1
            for emp in employees
            if start[emp.id] < then
            and (emp.active or (emp.departure_date and emp.departure_date >= then))
        )
        tenure = None
        if len(current) >= MIN_HEADCOUNT_FOR_TENURE:
            days = sum((today - start[emp.id]).days for emp in current)
            tenure = round(days / len(current) / 365.25, 1)
        growth = None
        if headcount_then:
            growth = round((len(current) - headcount_then) * 100 / headcount_then)
        manager = (job.manager_id if job else False) or self.manager_id
        open_jobs = self.env["hr.job"].search_fetch(
            [("department_id", "=", self.id), ("no_of_recruitment", ">", 0)], ["name"]
        )
        lang = self.env.lang
        return HiringFacts(
            department=self.name,
            company=self.company_id.name or self.env.company.name,
            hires_3m=hires[3],
            hires_6m=hires[6],
            hires_12m=hires[12],
            since_3m=format_date(self.env, windows[3], date_format="MMMM", lang_code=lang),
            since_6m=format_date(self.env, windows[6], date_format="MMMM", lang_code=lang),
            since_12m=format_date(self.env, windows[12], date_format="MMMM yyyy", lang_code=lang),
            headcount=len(current),
            headcount_12m_ago=headcount_then,
            headcount_growth=growth,
            average_tenure_years=tenure,
            hiring_manager_name=manager.name if manager else "",
            hiring_manager_title=(manager.job_title or manager.job_id.name or "")
            if manager
            else "",
            open_roles=len(open_jobs),
            open_role_names=tuple(open_jobs.mapped("name")),
        )

    def _outreach_hired_applicants(self, since):
        """Applications of this department hired (closed with a hired stage) since `since`."""
        return (
            self.env["hr.applicant"]
            # sudo: counts of hires: no applicant data leaves this method
            .sudo()
            .search_fetch(
                [
                    ("department_id", "=", self.id),
                    ("date_closed", ">=", since),
                    ("application_status", "=", "hired"),
                ],
                ["date_closed", "employee_id"],
            )
        )
