"""What a figure says in words, and whether its words can be read.

`description` is the figure's text alternative on the page (its headline, panels,
axes and caption); `overlapping_labels` finds text that runs into other text, which
the report records for each figure so that a test can hold every page to none.
They read a finished matplotlib figure and draw nothing.
"""

from __future__ import annotations


def _drawn_texts(fig) -> list:
    """Every piece of text the figure draws: titles, axis and tick labels (of the ticks
    inside the view only), texts in the axes, legends, the headline and the caption."""
    from matplotlib.text import Text

    found = list(fig.texts)  # the headline (suptitle) and the caption
    for legend in fig.legends:
        found += [legend.get_title(), *legend.get_texts()]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        found += [c for c in ax.get_children() if isinstance(c, Text)]  # titles, texts
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            found += [legend.get_title(), *legend.get_texts()]
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_visible():
                found += [axis.label, *_tick_labels(axis)]
    unique = {id(t): t for t in found if isinstance(t, Text)}
    return [t for t in unique.values() if t.get_visible() and t.get_text().strip()]


def _tick_labels(axis) -> list:
    """The labels of the major ticks the axis draws: those inside its view."""
    locations = axis.get_majorticklocs()
    low, high = sorted(axis.get_view_interval())
    ticks = axis.get_major_ticks(len(locations))
    inside = [t for t, at in zip(ticks, locations) if low <= at <= high]
    return [label for tick in inside for label in (tick.label1, tick.label2)]


def overlapping_labels(fig, slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts in the figure whose boxes overlap by more than `slack` pixels each
    way: a label running into another is unreadable, at any width the page shows it.

    The figure is laid out first (legends place their texts when drawn), without
    rendering. Labels turned by the same angle (a heatmap's slanted names) are compared
    across their lines, since their upright boxes overlap where the letters do not."""
    import numpy as np

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    texts = _drawn_texts(fig)
    if len(texts) < 2:
        return []
    boxes = np.array([t.get_window_extent(renderer).extents for t in texts])
    x0, y0, x1, y1 = (boxes[:, i] for i in range(4))
    across = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    up = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])
    clash = np.triu((across > slack) & (up > slack), k=1)
    found = []
    for i, j in zip(*np.nonzero(clash)):
        a, b = texts[i], texts[j]
        angle = a.get_rotation() % 180
        if angle not in (0, 90) and angle == b.get_rotation() % 180:
            # Parallel slanted lines of text: apart when their lines are a line's height apart.
            normal = np.array([-np.sin(np.radians(angle)), np.cos(np.radians(angle))])
            centres = boxes[[i, j]].reshape(2, 2, 2).mean(axis=1)
            apart = abs((centres[1] - centres[0]) @ normal)
            height = max(a.get_fontsize(), b.get_fontsize()) * fig.dpi / 72
            if apart >= height - slack:
                continue
        found.append((a.get_text(), b.get_text()))
    return found


def description(fig) -> str:
    """What the figure shows, in words, for its text alternative: its headline, its
    panels, what each axis measures and its caption (source and definition)."""
    headline = fig.get_suptitle()
    parts = [headline] if headline else []
    locations = ("left", "center", "right")  # the house style titles on the left
    axes = [
        ax for ax in fig.axes
        if ax.get_visible() and (ax.axison or any(ax.get_title(at) for at in locations))
    ]  # fmt: skip
    titles = [t for ax in axes for t in (ax.get_title(at) for at in locations) if t]
    if len(titles) > 1:
        parts.append(f"{len(titles)} panels: {'; '.join(titles)}")
    elif titles:
        parts.append(titles[0])
    for name, getter in (("Across", "get_xlabel"), ("Up", "get_ylabel")):
        shown = list(dict.fromkeys(getattr(ax, getter)() for ax in axes if ax.axison))
        shown = [s for s in shown if s]
        if shown:
            parts.append(f"{name}: {'; '.join(shown)}")
    parts += [t.get_text() for t in fig.texts if t.get_text().strip() and t.get_text() != headline]
    words = ". ".join(p.replace("\n", " ").strip().rstrip(".") for p in parts)
    return f"{words}." if words else ""
