"""``govsim report DIR``: what a sweep found, as tables and figures in ``DIR/report/``.

- ``summary.csv`` / ``summary.md``: mean, standard deviation and 95% confidence interval
  (Student t over replicates) of each analysed metric, per regime and parameter point;
- ``km_by_regime.{png,svg}``, ``km.csv`` and ``logrank.csv`` (when the dispute log was
  kept): Kaplan–Meier time to resolution per regime with 95% CIs, pooled over the runs,
  and pairwise log-rank tests. Disputes of one run are not independent, so the log-rank
  p-values are optimistic; the per-run CIs in ``summary`` are the conservative comparison;
- ``sensitivity.csv`` and ``sensitivity_*.{png,svg}`` for Sobol (S1, ST) and Morris
  (μ*, σ) designs, per regime; the metric is averaged over replicates at each point, and a
  day that was never reached (e.g. the parking dispute never settled) counts as the horizon;
- ``effects.{png,svg}``: each metric against the swept parameter (one-parameter factorial
  designs) or per regime (no parameter), with 95% CIs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from govsim.errors import UsageError, check_out_dir
from govsim.plots import REGIME_COLOURS
from govsim.sweep.spec import DEFAULT_OUTPUTS
from govsim.sweep.reading import check_store, read_manifest, read_tables
from govsim.statistics import censored_durations, kaplan_meier_band, logrank, summary_stats
from govsim.sweep.tasks import run_id

SUMMARY_COLUMNS = ["metric", "runs", "n_defined", "mean", "sd", "ci95_low", "ci95_high"]


class ReportError(UsageError):
    """A folder that holds no sweep results to report on."""


def _is_day_metric(name: str) -> bool:
    return name.endswith("_day") or name in ("median_days", "p90_days")


def _numeric(frame: pd.DataFrame, col: str) -> np.ndarray:
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)


def summary_table(ok: pd.DataFrame, keys: list[str], metrics: list[str]) -> pd.DataFrame:
    rows = []
    for group, frame in ok.groupby(keys, sort=True, dropna=False):
        group = group if isinstance(group, tuple) else (group,)
        for m in metrics:
            n, mean, sd, lo, hi = summary_stats(_numeric(frame, m))
            rows.append({**dict(zip(keys, group)), "metric": m, "runs": len(frame),
                         "n_defined": n, "mean": mean, "sd": sd, "ci95_low": lo,
                         "ci95_high": hi})
    return pd.DataFrame(rows, columns=[*keys, *SUMMARY_COLUMNS])


def _pivot(wide: pd.DataFrame, keys: list[str]) -> list[str]:
    pivot = wide.pivot_table(index="metric", columns=keys, values="cell", aggfunc="first",
                             sort=False)

    def label(col) -> str:
        col = col if isinstance(col, tuple) else (col,)
        return ", ".join(str(v) if k in ("regime", "point_name")
                         else f"{k.removeprefix('param_')}={v}"
                         for k, v in zip(keys, col))

    header = ["metric"] + [label(c) for c in pivot.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for metric, row in pivot.iterrows():
        lines.append("| " + " | ".join([metric, *map(str, row.tolist())]) + " |")
    return lines


def _markdown(table: pd.DataFrame, keys: list[str], title: str, note: str) -> str:
    """Metrics down; regimes across, or, when parameters were swept, one table per regime
    with the parameter points across (a table per regime stays readable)."""
    wide = table.assign(cell=[
        "—" if np.isnan(m) else (f"{m:.3g}" if np.isnan(lo) else f"{m:.3g} [{lo:.3g}, {hi:.3g}]")
        + ("" if d == r else f" (n={d})")
        for m, lo, hi, d, r in zip(table["mean"], table["ci95_low"], table["ci95_high"],
                                   table["n_defined"], table["runs"])])
    lines = [f"# {title}", "", note, ""]
    params = [k for k in keys if k != "regime"]
    if not params:
        lines += _pivot(wide, keys)
    else:
        for regime, frame in wide.groupby("regime", sort=False):
            lines += [f"## {regime}", "", *_pivot(frame, params), ""]
    return "\n".join(lines) + "\n"


def _save(fig, out: Path, stem: str) -> list[Path]:
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    for p in paths:
        fig.savefig(p)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return paths


def _km(disputes: pd.DataFrame, runs: pd.DataFrame, days: int, out: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    regime_of = dict(zip(runs["run_id"], runs["regime"]))
    d = disputes[disputes["run_id"].isin(regime_of)]
    # the rule of every other survival curve: resolved at closed − opened, the others
    # censored at the last simulated day
    t, resolved = censored_durations(d["outcome"], d["opened"],
                                     pd.to_numeric(d["closed"], errors="coerce"), days - 1)
    regimes = d["run_id"].map(regime_of).to_numpy()
    samples, km_rows = {}, []
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for regime in dict.fromkeys(runs["regime"]):
        sel = regimes == regime
        if not resolved[sel].any():
            continue
        samples[regime] = (t[sel], resolved[sel])
        x, y, lo, hi = kaplan_meier_band(*samples[regime], 0.95)
        for xi, yi, li, hii in zip(x, y, lo, hi):
            km_rows.append({"regime": regime, "day": xi, "unresolved": yi, "ci95_low": li,
                            "ci95_high": hii})
        colour = REGIME_COLOURS.get(regime)
        xs = np.r_[0.0, x, days]
        ax.step(xs, np.r_[1.0, y, y[-1]], where="post", color=colour, lw=2,
                label=f"{regime} ({int(sel.sum())} disputes)")
        ax.fill_between(xs, np.r_[1.0, lo, lo[-1]], np.r_[1.0, hi, hi[-1]], step="post",
                        color=colour, alpha=0.2, lw=0)
    ax.set(xlim=(0, days), ylim=(0, 1.02), xlabel="days since the dispute arose",
           ylabel="share still unresolved",
           title="Time to resolution by regime (Kaplan–Meier, 95% CI)")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    written = _save(fig, out, "km_by_regime")
    pd.DataFrame(km_rows).to_csv(out / "km.csv", index=False)
    tests = []
    names = list(samples)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            statistic, p_value = logrank(samples[a], samples[b])  # both have resolutions
            tests.append({"regime_a": a, "regime_b": b, "statistic": statistic,
                          "p_value": p_value})
    pd.DataFrame(tests, columns=["regime_a", "regime_b", "statistic", "p_value"]).to_csv(
        out / "logrank.csv", index=False)
    return [*written, out / "km.csv", out / "logrank.csv"]


def _sensitivity(ok: pd.DataFrame, manifest: dict, doc: dict, metrics: list[str],
                 out: Path, notes: list[str]) -> list[Path]:
    import matplotlib.pyplot as plt
    from SALib.analyze import morris, sobol

    kind = manifest["design"]["kind"]
    names = manifest["design"]["parameters"]
    params = doc.get("parameters", {})
    problem = {"num_vars": len(names), "names": names,
               "bounds": [[float(params[n]["low"]), float(params[n]["high"])] for n in names]}
    X = np.asarray(manifest["design"]["matrix"])
    point_params = manifest["design"]["point_params"]
    replicates = manifest["replicates"]
    days = manifest["days"]
    design = doc.get("design", {})
    rows = []
    for regime in manifest["regimes"]:
        sub = ok[ok["regime"] == regime]
        for m in metrics:
            vals = pd.Series(_numeric(sub, m), index=sub["run_id"])
            if _is_day_metric(m):
                vals = vals.fillna(float(days))
            # by run id, not by the stored point: identical points share their runs
            Y = np.array([vals.reindex([run_id(regime, pp, r) for r in range(replicates)])
                          .mean() for pp in point_params])
            if np.isnan(Y).any():
                notes.append(f"sensitivity of {m} under {regime}: skipped, "
                             f"{int(np.isnan(Y).sum())} point(s) without a value "
                             "(failed runs or undefined metric)")
                continue
            if np.ptp(Y) == 0:
                notes.append(f"sensitivity of {m} under {regime}: skipped, the metric is "
                             f"constant ({Y[0]:g}) over the design")
                continue
            if kind == "sobol":
                res = sobol.analyze(problem, Y, calc_second_order=bool(
                    design.get("second_order", False)), seed=0)
                for i, n in enumerate(names):
                    rows.append({"regime": regime, "metric": m, "parameter": n,
                                 "S1": res["S1"][i], "S1_conf": res["S1_conf"][i],
                                 "ST": res["ST"][i], "ST_conf": res["ST_conf"][i]})
            else:
                res = morris.analyze(problem, X, Y, num_levels=int(design.get("levels", 4)),
                                     seed=0)
                for i, n in enumerate(names):
                    rows.append({"regime": regime, "metric": m, "parameter": n,
                                 "mu_star": res["mu_star"][i],
                                 "mu_star_conf": res["mu_star_conf"][i],
                                 "sigma": res["sigma"][i]})
    if not rows:
        return []
    table = pd.DataFrame(rows)
    table.to_csv(out / "sensitivity.csv", index=False)
    written = [out / "sensitivity.csv"]
    first, conf = ("ST", "ST_conf") if kind == "sobol" else ("mu_star", "mu_star_conf")
    for m, frame in table.groupby("metric", sort=False):
        regimes = list(dict.fromkeys(frame["regime"]))
        fig, ax = plt.subplots(figsize=(7, 0.5 * len(names) + 1.8), dpi=110)
        h = 0.8 / len(regimes)
        for j, regime in enumerate(regimes):
            f = frame[frame["regime"] == regime].set_index("parameter").reindex(names)
            ax.barh(np.arange(len(names)) + j * h, f[first], h, xerr=f[conf],
                    color=REGIME_COLOURS.get(regime), label=regime, alpha=0.85)
            if kind == "sobol":
                ax.scatter(f["S1"], np.arange(len(names)) + j * h, color="black", s=12,
                           zorder=3, label="S1 (first order)" if j == 0 else None)
        ax.set_yticks(np.arange(len(names)) + 0.4 - h / 2, names)
        label = "total-order Sobol index ST (bars, 95% CI)" if kind == "sobol" else "Morris μ*"
        ax.set(xlabel=label, title=f"What drives {m}?")
        ax.legend(frameon=False, fontsize=8)
        ax.grid(alpha=0.3, axis="x")
        fig.tight_layout()
        written += _save(fig, out, f"sensitivity_{m}")
    return written


def _effects(table: pd.DataFrame, keys: list[str], metrics: list[str], out: Path
             ) -> list[Path]:
    import matplotlib.pyplot as plt

    params = [k for k in keys if k != "regime"]
    if len(params) > 1 or params == ["point_name"]:  # named points: the table says it all
        return []
    shown = [m for m in metrics if table.loc[table["metric"] == m, "n_defined"].sum() > 0]
    if not shown:
        return []
    cols = min(3, len(shown))
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), dpi=110,
                             squeeze=False)
    for ax, m in zip(axes.flat, shown):
        sub = table[table["metric"] == m]
        for k, (regime, f) in enumerate(sub.groupby("regime", sort=False)):
            colour = REGIME_COLOURS.get(regime)
            yerr = np.vstack([f["mean"] - f["ci95_low"], f["ci95_high"] - f["mean"]])
            if params:
                x = pd.to_numeric(f[params[0]], errors="coerce")
                ax.errorbar(x, f["mean"], yerr=yerr, marker="o", ms=4, capsize=3,
                            color=colour, label=regime)
                ax.set_xlabel(params[0].removeprefix("param_"))
                if x.min() > 0 and x.max() / x.min() >= 5:
                    ax.set_xscale("log")
            else:
                ax.bar(k, f["mean"].iloc[0], yerr=yerr[:, :1], color=colour, capsize=4,
                       label=regime)
                ax.set_xticks([])
        partial = (sub["n_defined"] < sub["runs"]).any()
        ax.set_title(m + ("\n(mean over the runs where it is defined)" if partial else ""),
                     fontsize=9)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(shown):]:
        ax.axis("off")
    axes.flat[0].legend(frameon=False, fontsize=8)
    fig.suptitle("Means over replicates with 95% CIs")
    fig.tight_layout()
    return _save(fig, out, "effects")


def _experiment_doc(root: Path, manifest: dict) -> dict:
    """The experiment's settings as the manifest recorded them, checked for what the report
    reads (a manifest edited by hand is named, not a traceback)."""
    from govsim.errors import InputFileError, parse_toml

    path = root / "manifest.json"
    try:
        doc = parse_toml(manifest["experiment"]["text"], str(path), InputFileError)
    except InputFileError as exc:
        raise ReportError(f"{path}: damaged, experiment.text is not the experiment "
                          f"({exc.messages[0]})") from None
    analysis = doc.get("analysis", {})
    outputs = (analysis.get("outputs", list(DEFAULT_OUTPUTS)) if isinstance(analysis, dict)
               else None)
    problems = []
    if not isinstance(outputs, list) or not all(isinstance(m, str) for m in outputs):
        problems.append("analysis.outputs is not a list of metric names")
    if manifest["design"]["kind"] not in ("factorial", "points"):  # a sampled design
        params = doc.get("parameters")
        for name in manifest["design"]["parameters"]:
            bounds = params.get(name) if isinstance(params, dict) else None
            if not (isinstance(bounds, dict) and all(
                    isinstance(bounds.get(k), (int, float)) for k in ("low", "high"))):
                problems.append(f"parameters.{name} has no low and high")
        if not isinstance(manifest["design"].get("matrix"), list):
            problems.append("design.matrix is missing")
    if problems:
        raise ReportError(f"{path}: damaged ({'; '.join(problems)}); expected the manifest "
                          "that govsim sweep wrote")
    return doc


def write_report(root: Path) -> list[Path]:
    if not root.is_dir():
        what = "not a folder" if root.exists() else "no such folder"
        raise ReportError(f"{root}: {what}; expected the --out folder of 'govsim sweep'")
    if not (root / "manifest.json").exists():
        raise ReportError(f"{root}: no manifest.json; expected the --out folder of "
                          "'govsim sweep'")
    manifest = read_manifest(root)
    doc = _experiment_doc(root, manifest)
    check_store(root)  # a report on a damaged store would silently miss rows
    tables = read_tables(root, ("runs", "disputes"))  # the runs' parts read once for both
    runs = next(tables)[1]
    if runs is None or runs.empty:
        raise ReportError(f"{root}: no stored runs yet; run or resume the sweep first")
    metrics = [m for m in doc.get("analysis", {}).get("outputs", list(DEFAULT_OUTPUTS))
               if m in runs.columns]
    out = check_out_dir(root / "report", create=True)
    ok = runs[runs["status"] == "ok"]
    failed = runs[runs["status"] != "ok"]
    total = manifest["runs_total"]
    notes = [f"{len(ok)} runs ok, {len(failed)} failed, {total - len(runs)} not run yet, "
             f"of {total} in the experiment."]
    written: list[Path] = []
    if len(failed):
        failed[["run_id", "regime", "replicate", "seed", "error"]].to_csv(
            out / "failed.csv", index=False)
        written.append(out / "failed.csv")
    kind = manifest["design"]["kind"]
    sampled = kind not in ("factorial", "points")
    if kind == "points":  # named points: one column per point, however its values differ
        param_cols = ["point_name"]
    else:
        param_cols = [] if sampled else [c for c in runs.columns if c.startswith("param_")]
    keys = ["regime", *param_cols]
    table = summary_table(ok, keys, metrics)
    table.to_csv(out / "summary.csv", index=False)
    written.append(out / "summary.csv")
    if sampled:
        written += _sensitivity(ok, manifest, doc, metrics, out, notes)
    written += _effects(table, keys, metrics, out)
    disputes = next(tables)[1]
    if disputes is not None and len(ok):
        written += _km(disputes, ok, int(manifest["days"]), out)
    elif not len(ok):
        notes.append("No run is stored ok: no tables of metrics, no curves.")
    else:
        notes.append("No dispute log kept (outputs.disputes = false): no Kaplan–Meier "
                     "curves or log-rank tests.")
    title = manifest["experiment"].get("title") or manifest["experiment"]["name"]
    if manifest.get("seed_policy") == "paired":
        notes.append("Seeds are paired (common random numbers) across regimes and points, "
                     "so a difference between two columns is estimated more precisely than "
                     "their overlapping intervals suggest.")
    note = ("Means over replicates with 95% confidence intervals [low, high] (Student t); "
            "(n=k) where a metric is defined in only k runs (e.g. a median never reached). "
            + " ".join(notes))
    (out / "summary.md").write_text(_markdown(table, keys, title, note))
    written.insert(1, out / "summary.md")
    return written
