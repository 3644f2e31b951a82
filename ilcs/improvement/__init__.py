"""Continuous improvement (criterion 6.3): the improvement cycle and the tools a team uses.

- `record`: the improvement record (identify -> analyse -> options -> choose -> implement ->
  review, tagged with PDCA), its rules, saving and loading;
- `pareto`: sorted causes, cumulative share and the vital few;
- `rootcause`: five whys and a fishbone (6M categories);
- `control`: XmR, p-, c- and u-charts with signal rules; run charts with the Anhøj rules;
- `compare`: before/after with a plain-words statement of size and certainty;
- `measures`: the sample organisation's weekly figures the tools are used on;
- `tasks`: data-task answers for the question bank; `views`: the widgets (ipywidgets).

Importing this package never imports ipywidgets.
"""
