"""The national CAARUD survey week (ENa-CAARUD): a week opened for a site, one anonymous
questionnaire per person who agrees, and the count of those who did not answer."""
