"""Every text of every chart is drawn from the pinned font files, whatever the host has.

The pinned files are found here independently of the code: Amiri in the
installed ``fontpkg_amiri`` package, DejaVu Sans in matplotlib's data folder.
What is checked is what the Agg renderer is asked to draw (the font file of
each ``draw_text`` call), and, in a separate process whose host has another
font registered under the family name "Amiri" (and a hostile ``matplotlibrc``,
another locale and hash seed), that every chart's PNG, SVG and PDF bytes are
those of a clean process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import fontpkg_amiri
import matplotlib as mpl
import pytest
from matplotlib.backends.backend_agg import RendererAgg

from analysis import charts
from analysis.charts import fonts

pytestmark = pytest.mark.legacy_ok

TESTS = Path(__file__).parent
REPO = TESTS.parents[1]
AMIRI = Path(fontpkg_amiri.ROOT) / "files" / "Amiri-Regular.ttf"
AMIRI_BOLD = Path(fontpkg_amiri.ROOT) / "files" / "Amiri-Bold.ttf"
DEJAVU = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
PINNED = {AMIRI.resolve(), AMIRI_BOLD.resolve(), DEJAVU.resolve()}

sys.path.insert(0, str(TESTS))
import test_charts  # noqa: E402


@pytest.fixture
def drawn_files(monkeypatch) -> list[tuple[str, Path | None]]:
    """Record (string, font file) for every text the Agg renderer draws."""
    calls: list[tuple[str, Path | None]] = []
    original = RendererAgg.draw_text

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        name = prop.get_file()
        calls.append((s, None if name is None else Path(name).resolve()))
        return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(RendererAgg, "draw_text", draw_text)
    return calls


OTHER_CHARTS = {
    "group-rates": lambda: charts.plot_group_frame_rates(
        test_charts.counts_table().assign(group=["a", "b", "a"], n_documents=[1, 2, 1]),
        frames=test_charts.SCHEME,
    ),
    "keyness": lambda: charts.plot_keyness(
        test_charts.terms_table().assign(G2=[1.0, 2.0, 3.0, 4.0], log_ratio=[1.0, -1.0, 0.5, 2.0])
    ),
}


@pytest.mark.parametrize("name", sorted(test_charts.CHARTS) + sorted(OTHER_CHARTS))
def test_every_drawn_text_names_a_pinned_file(name, drawn_files, tmp_path):
    """Titles, tick labels (also those created while saving), legends, colour bars,
    annotations: each is drawn from Amiri, or DejaVu Sans where Amiri lacks a glyph."""
    fig = {**test_charts.CHARTS, **OTHER_CHARTS}[name]()
    charts.save_figure(fig, name, tmp_path, formats=("png",))
    texts = [(s, f) for s, f in drawn_files if s.strip()]
    assert len(texts) >= 5
    unpinned = [(s, f) for s, f in texts if f not in PINNED]
    assert not unpinned
    arabic = [f for s, f in texts if test_charts.ARABIC.search(s)]
    assert arabic and set(arabic) <= {AMIRI.resolve(), AMIRI_BOLD.resolve()}


def test_a_text_amiri_cannot_draw_falls_back_to_dejavu():
    assert fonts.font_file_for("الشعب (2009)") == AMIRI
    assert fonts.font_file_for("more →") == DEJAVU  # Amiri has no arrows
    assert fonts.font_file_for("٢٠٠٩", bold=True) == AMIRI_BOLD
    prop = fonts.font_for("G² 4.0", 8, weight="bold")
    assert Path(prop.get_file()) == AMIRI_BOLD and prop.get_size() == 8


def test_missing_amiri_warns_and_draws_with_dejavu(monkeypatch):
    monkeypatch.setattr(fonts, "amiri_font_files", lambda: [])
    fonts.chart_fonts.cache_clear()
    try:
        with pytest.warns(fonts.FontWarning, match="Amiri"):
            stack = fonts.chart_fonts()
        assert [f.regular for f in stack] == [DEJAVU]
        assert fonts.font_file_for("الشعب") == DEJAVU
    finally:
        fonts.chart_fonts.cache_clear()  # the next chart finds Amiri again


HOST_SCRIPT = r"""
import hashlib, json, sys
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

out, hostile = Path(sys.argv[1]), sys.argv[2] == "hostile"
fake = Path(sys.argv[3])
report = {}
if hostile:
    # The host's "Amiri" (another file, found first by family name).
    font_manager.fontManager.addfont(str(fake))
    font_manager.fontManager.ttflist.insert(0, font_manager.fontManager.ttflist.pop())
    font_manager.fontManager._findfont_cached.cache_clear()
sys.path.insert(0, sys.argv[4])
import test_charts as t
from analysis import charts

charts.arabic_style()  # registers the pinned files too, as every chart does
report["host_amiri"] = font_manager.findfont(FontProperties(family="Amiri"))
# Control: a text drawn by family name, as charts did before, changes with the host.
probe = Figure(figsize=(2, 1))
probe.text(0.1, 0.5, "الشعب Amiri", family="Amiri")
probe.savefig(out / "probe.png", format="png", metadata={"Software": None})
digests = {}
every = {**t.CHARTS, **t.STUDY_CHARTS}
for name in sorted(every):
    for path in charts.save_figure(every[name](), name, out):
        digests[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
report["charts"] = digests
report["probe"] = hashlib.sha256((out / "probe.png").read_bytes()).hexdigest()
print(json.dumps(report))
"""

HOSTILE_RC = """
font.family: serif
font.serif: Amiri
font.size: 17
axes.prop_cycle: cycler('color', ['r', 'g'])
image.cmap: jet
lines.linewidth: 4
patch.linewidth: 3
hatch.linewidth: 4
figure.facecolor: yellow
axes.facecolor: 0.8
axes.formatter.use_locale: True
axes.unicode_minus: False
text.hinting: none
savefig.dpi: 72
savefig.bbox: tight
svg.fonttype: none
pdf.fonttype: 3
"""


def fake_amiri(path: Path) -> Path:
    """Write DejaVu Serif renamed "Amiri" (family, full and PostScript names) to *path*."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Amiri"
        elif record.nameID == 6:
            record.string = "Amiri-Regular"
    font.save(str(path))
    return path


def run_host(tmp_path: Path, kind: str, fake: Path, env: dict[str, str]) -> dict:
    out = tmp_path / kind
    out.mkdir()
    cmd = [sys.executable, "-c", HOST_SCRIPT, str(out), kind, str(fake), str(TESTS)]
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_conflicting_amiri_on_the_host_changes_no_byte(tmp_path):
    """A host with another "Amiri" found first by name, its own matplotlibrc, another
    locale and hash seed: every chart is byte-identical to a clean host's."""
    fake = fake_amiri(tmp_path / "Amiri-Regular.ttf")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "MPL"))}
    clean_env = {**base, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(tmp_path / "clean-config")}
    clean_env.update(PYTHONHASHSEED="0", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    hostile_config = tmp_path / "hostile-config"
    hostile_config.mkdir()
    (hostile_config / "matplotlibrc").write_text(HOSTILE_RC)
    hostile_env = {**base, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(hostile_config)}
    hostile_env.update(PYTHONHASHSEED="7", LANG="C", LC_ALL="C")
    clean = run_host(tmp_path, "clean", fake, clean_env)
    hostile = run_host(tmp_path, "hostile", fake, hostile_env)
    # The conflict is real: by family name the hostile host finds the other file, and a
    # text drawn by family name comes out different.
    # (The clean host finds the pinned Amiri, or a system one such as Debian's
    # fonts-hosny-amiri where that is installed: either way not the fake.)
    assert Path(hostile["host_amiri"]) == fake
    assert Path(clean["host_amiri"]) != fake
    assert hostile["probe"] != clean["probe"]
    # The charts do not notice.
    assert len(clean["charts"]) == 3 * (len(test_charts.CHARTS) + len(test_charts.STUDY_CHARTS))
    assert hostile["charts"] == clean["charts"]
