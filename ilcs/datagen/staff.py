"""Staff movement: how many people joined and left each department, quarter by quarter.

One of the content map's 6.1 indicators is "customers staying vs leaving". Inside an
organisation, people leaving a department (or a team) is a sign worth reading beside the
survey: the sample's Operations, the least satisfied department, also loses the most
staff. Drawn from its own random stream, so adding this table changed no other sample file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ilcs.datagen.organisation import DEPARTMENTS, YEAR

QUARTERS = tuple(f"{YEAR}-Q{q}" for q in range(1, 5))
#: Share of a department's staff leaving in a quarter (Operations: the highest turnover).
LEAVING_RATE = {"Operations": 0.055, "Facilities": 0.035, "IT": 0.03, "Finance": 0.025,
                "HR": 0.02, "Communications": 0.025, "Procurement": 0.03, "Payroll": 0.03}
#: Share joining in a quarter (most departments replace leavers; IT and HR grow a little).
JOINING_RATE = {"Operations": 0.045, "Facilities": 0.03, "IT": 0.04, "Finance": 0.025,
                "HR": 0.03, "Communications": 0.025, "Procurement": 0.03, "Payroll": 0.03}


def generate_staff_movement(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """department, quarter, headcount_start, joined, left (text, ready to write)."""
    rows = []
    for dept, headcount in DEPARTMENTS.items():
        staff = max(1, int(round(headcount * scale)))
        for quarter in QUARTERS:
            left = int(rng.binomial(staff, LEAVING_RATE[dept]))
            joined = int(rng.binomial(staff, JOINING_RATE[dept]))
            rows.append((dept, quarter, str(staff), str(joined), str(left)))
            staff = staff + joined - left
    return pd.DataFrame(rows, columns=["department", "quarter", "headcount_start", "joined",
                                       "left"], dtype=object)
