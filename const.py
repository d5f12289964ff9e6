# the group of recruitment officers: the passive profile, its figures and drips are theirs
OFFICER_GROUP = "hr_recruitment.group_hr_recruitment_user"

# the candidate's career profile: kept equal on a talent and its applications, and shown on
# (and downloadable from) the candidate's own page, in this order
CANDIDATE_PROFILE_FIELDS = (
    "current_company",
    "current_job_title",
    "current_role_start_date",
    "years_of_experience",
    "openness",
    "desired_timing",
    "preferred_channel",
)
