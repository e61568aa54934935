"""Back-office screens: review queue, case review panel, supervisor overview and the applicant's 好差评 dialog."""
