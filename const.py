# the group of recruitment officers: the passive profile, its figures and drips are theirs
OFFICER_GROUP = "hr_recruitment.group_hr_recruitment_user"
