"""The applicants' pages: their applications (`application`), what an application lists
(`lines`: people, vehicles, goods, the people list) and the applicant's profile (`profile`)."""
