"""The returns workflow: a team's quarter entered, submitted, approved or returned, reopened."""
