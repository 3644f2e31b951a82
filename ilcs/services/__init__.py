"""Internal customers and the services they receive (outcomes 1-3 and 7).

- `customers`: who is an internal customer (the sorting activity of 1.1, as data);
- `service_map`: who serves whom, how much and how fast, from the request log;
- `chain`: the recruitment hand-offs as a service chain, and its late link;
- `expectations`: teams that keep their standards against their satisfaction scores;
- `practices`: the 18 practices of internal customer service and a team's self-assessment;
- `performance`: the candidate's outcome-7 evidence and witness statement (answer store);
- `tasks`: data-task answers for the question bank; `views`: the widgets;
- the command line is `ilcs services` (`ilcs/commands/services.py`).

Importing this package never imports ipywidgets: the views are imported from `views`.
"""
