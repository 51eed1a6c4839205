"""Figures shared by the CLI, the reports and the app."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from govsim.statistics import durations, kaplan_meier  # noqa: E402

REGIME_COLOURS = {"market": "#d95f02", "state": "#7570b3", "grid": "#1b9e77"}


def pooled_durations(dispute_tables: list[list[dict]], horizon: int):
    """Days to resolution over several runs' dispute tables (censored as in metrics)."""
    pairs = [durations(table, horizon - 1) for table in dispute_tables]
    return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])


def km_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], horizon: int,
              title: str = "Time to resolution by regime", ax=None):
    """Kaplan–Meier share of disputes still unresolved, one step curve per regime."""
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for regime, (t, e) in curves.items():
        km = kaplan_meier(t, e, horizon)
        x = np.r_[0.0, km.times, horizon]
        y = np.r_[1.0, km.survival, km.survival[-1] if len(km.survival) else 1.0]
        label = regime if km.median is None else f"{regime} (median {km.median:.0f} d)"
        ax.step(x, y, where="post", label=label, color=REGIME_COLOURS.get(regime), lw=2)
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("days since the dispute arose")
    ax.set_ylabel("share still unresolved")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    if fig is not None:
        fig.tight_layout()
    return fig or ax.figure
