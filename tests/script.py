"""A whole review as an official would type it, shared by the engine and terminal tests."""

# (what the official types, the step it answers)
WHOLE_REVIEW: list[tuple[str, str]] = [
    ("1", "intro"),
    ("2", "q.definition"),  # our own definition ...
    ("Vi räknar bara akut hemlöshet", "f.definition"),  # ... and its follow-up
    ("4", "q.knowledge"),  # "we have no homelessness here" ...
    ("/skip", "f.knowledge"),  # ... its follow-up skipped
    ("4", "q.mapping"),  # no mapping: a weakness
    ("1 200", "q.assistance_count"),
    ("2", "q.income_support"),
    ("1", "q.housing_market"),
    ("Brist på små lägenheter", "f.housing_market"),
    ("2", "q.owner_directives"),
    ("1", "recap.overview"),
    ("4", "q.action_plan"),  # no plan: nothing asked about its content
    ("1", "q.housing_guidelines"),
    ("1,3", "q.planning_tools"),
    ("1", "recap.plans"),
    ("3", "q.landlord_collaboration"),
    ("1", "q.internal_collaboration"),
    ("1", "q.external_actors"),
    ("Stadsmissionen & <Frälsningsarmén>", "f.external_actors"),
    ("1", "recap.collaboration"),
    ("2", "q.documentation"),
    ("3", "q.followed_up"),  # not followed up: "evaluated" is not asked
    ("1", "q.outreach"),
    ("1", "q.eviction_routines"),
    ("3", "q.children_routines"),
    ("1", "recap.routines"),
    ("1,3", "q.housing_solutions"),
    ("1,2,6", "q.further_support"),
    ("4", "q.residence_permit"),
    ("1", "q.tailoring"),
    ("1", "recap.interventions"),
    ("Samverkan med bostadsbolaget i enskilda ärenden.", "q.works_well"),
    ("Vi saknar en gemensam bild av hemlösheten.", "q.works_less_well"),
    ("Bostadsbristen i hela länet.", "q.challenges"),
    ("Ta fram en handlingsplan under 2027.", "q.next_year"),
    ("1,2,7", "letter.choose"),  # evictions and children, plans, keep the collaboration
    ("Socialchef", "letter.role"),
    ("2027-06-30", "letter.due"),
    ("Kommunstyrelsen", "letter.role"),
    ("31/12 2027", "letter.due"),
    ("Samverkansgruppen", "letter.role"),
    ("Q4 2027", "letter.due"),
    ("Inventera kommunens sociala kontrakt", "letter.own"),
    ("Enhetschef vuxen", "letter.role"),
    ("30 juni 2027", "letter.due"),
    ("/skip", "letter.own"),  # done
]

# The themes the list offers for the answers above, most important first: six to develop, one
# to keep (the collaboration reads as strong), and their own answer about the work ahead.
EXPECTED_CHOICES = [
    "evictions",
    "plans",
    "knowledge",
    "landlords",
    "follow_up",
    "support",
    "keep.collaboration",
    "draft",
]

# The commitments the answers above call for, most important first.
# Each is worded for its answer: missing ("Nej"), partial ("Bara från fall till fall",
# "Vissa gör det" ...), a mix (a staircase and category housing without Housing First), or not
# known ("Vet inte": residence permit), which only asks to find out.
EXPECTED_PROPOSALS = [
    "no_children_evicted",
    "action_plan",
    "mapping",
    "landlord_collaboration_develop",
    "owner_directives_social",
    "income_support_more",
    "follow_up",
    "documentation_uniform",
    "housing_first_broaden",
    "find_out_residence_permit",
]
