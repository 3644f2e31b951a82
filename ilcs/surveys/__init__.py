"""Outcome 6.1-6.2: monitoring internal customer satisfaction and evaluating feedback.

Core modules (no widgets): `questionnaire` (survey definitions), `responses` (loading any
export against a definition), `privacy` (redaction and small-group suppression), `evaluate`
(the figures), `themes` (comment themes from a lexicon), `techniques` (feedback techniques and
the questionnaire checker). `tasks` holds the data tasks; `views` the widgets.
"""
