"""The assessment views (ipywidgets): questions, feedback, profile, class quiz and review app.

The functions a notebook calls are re-exported here:

    from ilcs.assessment.views import show_questions, show_feedback
"""

from ilcs.assessment.views.feedback import show_feedback
from ilcs.assessment.views.quiz import show_questions

__all__ = ["show_feedback", "show_questions"]
