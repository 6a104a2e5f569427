"""Real-looking PDF press releases and reports, built with fpdf2 from known source text.

Each sample keeps the text it was built from (`Built.text`, paragraphs joined by blank lines, without the
running headers and footers that a reader should drop) and the page each paragraph starts on, so an
extractor can be scored against the truth. Used by the PDF tests and by evals/studies/pdf_extraction.py.
Fonts: Debian's DejaVu/Liberation TrueType files (curly quotes, accents and dashes need a Unicode font).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONTS = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "liberation": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
}


def font_file(name: str) -> Path | None:
    return next((d / name for d in FONT_DIRS if (d / name).exists()), None)


def fonts_available() -> bool:
    return all(font_file(f) for pair in FONTS.values() for f in pair)


@dataclass
class Sample:
    name: str
    title: str
    paragraphs: list[str]
    font: str = "sans"
    align: str = "L"
    columns: int = 1
    header: str | None = None  # running header on every page
    footer: str | None = None  # running footer; {page} and {pages} are filled in
    letterhead: list[str] = field(default_factory=list)  # lines above the title on page 1
    size: float = 11.0


@dataclass
class Built:
    path: Path
    text: str  # the source text: letterhead, title and paragraphs, blank line between them
    blocks: list[str]
    pages: list[int | None]  # page each block starts on (None when unknown, e.g. inside columns)
    n_pages: int


RELEASE = Sample(
    name="flood-relief-release",
    title="Flood relief coalition opens three shelters as the Arno River keeps rising",
    letterhead=["NORTHERN RIVERS FLOOD RELIEF COALITION", "FOR IMMEDIATE RELEASE — 14 March 2024"],
    paragraphs=[
        "PONTE SERRA, 14 March 2024 — The Northern Rivers Flood Relief Coalition opened three emergency shelters "
        "on Thursday after the Arno River rose 2.4 metres above its seasonal level, forcing 1,150 residents "
        "from their homes in the lower districts.",
        "“We have beds for 600 people tonight and we will double that by the weekend,” said Giulia Ferrante, "
        "director of the coalition. “Nobody in this valley should sleep in a car.”",
        "The regional water agency said in a statement that the river would crest on Saturday morning. "
        "According to the agency, two levees near the old mill are under constant watch.",
        "“The levees are holding, but the ground behind them is saturated,” said Marco Lenzi, an engineer "
        "with the regional water agency. “If the rain does not stop, we will open the spillway.”",
        "Volunteers from eleven parishes are staffing the shelters in rotation. The coalition asks for "
        "blankets, dry food and baby formula; cash donations go through its website.",
        "Media contact: Sara Bellini, +39 055 010 2233, press@nrfrc.example",
    ],
)

REVIEW = Sample(
    name="rail-safety-review",
    title="Rail Safety Review 2024: findings on the Dunmore junction derailment",
    font="serif",
    align="J",
    header="Ministry of Transport — Rail Safety Review 2024",
    footer="Page {page} of {pages}",
    size=14.0,
    paragraphs=[
        "1. Summary",
        "On 3 February 2024 a regional passenger train left the rails at the Dunmore junction at 41 km/h. "
        "Nineteen of the 212 passengers were treated for minor injuries; nobody was killed. This review sets out "
        "what happened, why it happened and what the operator and the infrastructure manager must change.",
        "The review team inspected the track, the train and the signalling records, and interviewed the driver, "
        "the signaller and eleven maintenance staff. Its conclusions were shared with both companies before "
        "publication, and their replies are printed in the annex.",
        "2. What happened",
        "The train approached the junction on a green signal. As it crossed the points, the leading bogie "
        "followed the diverging route while the trailing bogie stayed on the main line, and the second carriage "
        "was pulled sideways off the track. The driver applied the emergency brake within two seconds.",
        "“I felt the carriage lift and I knew at once that we were off the rails,” the driver told investigators. "
        "“My only thought was to stop the train before the bridge.”",
        "The points had been reported as sticking on four occasions in the previous six weeks. Each report was "
        "closed after a lubrication visit, and no engineer examined the switch rail itself. Measurements taken "
        "after the accident showed a gap of 6 millimetres between the switch rail and the stock rail, three "
        "times the permitted tolerance.",
        "3. Why it happened",
        "The review found that the maintenance contract measured performance by the number of visits rather "
        "than by the condition of the asset. Staff were rewarded for closing faults quickly, and repeated "
        "faults at the same location were not flagged to a supervisor.",
        "“We built a system that counted visits and called it safety,” said Helen Okonjo, the chief inspector "
        "of railways, at the presentation of the review. “That has to end this year, not in the next contract.”",
        "Three factors made the defect worse: the switch rail had not been replaced since 2009, the drainage "
        "beneath the junction had been blocked since the autumn floods, and the inspection train that would have "
        "measured the gap was withdrawn for repairs in January.",
        "4. Recommendations",
        "The infrastructure manager should inspect every set of points that has been reported as faulty three "
        "or more times in a quarter, and should replace switch rails older than twelve years on lines carrying "
        "passenger trains.",
        "The operator should review how drivers report rough riding, so that a driver’s report reaches the "
        "infrastructure manager within one hour rather than at the end of a shift.",
        "“We accept every recommendation and we have already replaced the points at Dunmore,” said Patrick Weir, "
        "chief executive of the infrastructure manager. “We will publish our progress every quarter.”",
        "The Ministry will report to Parliament on the implementation of these recommendations in March 2025.",
    ],
)

BULLETIN = Sample(
    name="harbour-bulletin",
    title="Harbour Authority Bulletin: dredging to resume after court ruling",
    columns=2,
    align="J",
    size=12.0,
    footer="Harbour Authority Bulletin · No. 37",
    paragraphs=[
        "Dredging of the main channel will resume on Monday after the administrative court rejected an appeal by "
        "two fishing cooperatives, the Harbour Authority announced on Friday.",
        "The appeal argued that the dredging would destroy seagrass beds used as nurseries by sea bream. The "
        "court found that the authority’s environmental assessment had considered the beds and that the "
        "compensation plan was adequate.",
        "“The court has confirmed what our scientists told us: the channel can be deepened without harming the "
        "bay,” said Anouk de Vries, director of the Harbour Authority.",
        "The cooperatives said they would consider an appeal to the supreme court. “Our members will lose their "
        "best grounds for at least five seasons,” said Pieter Hals, chairman of the Noordkust cooperative.",
        "The authority plans to remove 1.8 million cubic metres of sediment over fourteen months, so that "
        "container ships with a draught of 15 metres can enter at any tide.",
        "Work will pause between April and June, when the sea bream spawn, and a monitoring buoy will measure "
        "turbidity every ten minutes. If the readings exceed the permitted level for six hours, dredging stops.",
        "“We will publish every reading online, in real time, so that anyone can check us,” de Vries said.",
        "Shipping lines have welcomed the decision. According to the port’s own figures, 23 calls by large "
        "container ships were diverted to other ports last year because of the depth of the channel.",
        "The seagrass compensation plan includes replanting four hectares near the southern breakwater and a "
        "ten-year monitoring programme run by the university’s marine institute.",
        "“Replanting seagrass is slow and uncertain, and nobody can promise that it will work,” said Dr Lotte "
        "Brink, a marine biologist at the institute. “But we will measure it honestly.”",
    ],
)

COUNCIL = Sample(
    name="council-statement",
    title="Statement of the Métropole council on the tram line extension",
    font="liberation",
    align="J",
    letterhead=["Conseil de la Métropole de Saint-Aubin — Press office"],
    footer="Saint-Aubin, 2 October 2024 — page {page}",
    paragraphs=[
        "The council voted on Wednesday evening, by 48 votes to 19, to extend tram line T2 by 6.3 km to the "
        "Côte-Verte district, at an estimated cost of €212 million, 37% of it paid by the national government.",
        "“This line will put 40,000 people within ten minutes of the city centre,” said Zoé Côté-Lefèvre, the "
        "council’s vice-president for transport. “It is the largest investment of this mandate.”",
        "The opposition group voted against the project. Łukasz Nowak-Ferreira, its leader, said that the "
        "council had underestimated the cost of moving water and gas pipes beneath the Avenue Jean-Jaurès.",
        "“Every tram project in this country has gone over budget by at least a fifth — why would ours be "
        "different?” Nowak-Ferreira asked during the debate.",
        "Construction is due to start in the spring of 2026, and the first trams should run to Côte-Verte at the "
        "end of 2028. Public consultation on the position of the seven new stops opens on 15 October.",
        "Residents of the Rue des Tanneurs, where the line would run in a single lane, have collected 2,300 "
        "signatures asking for a route along the river instead. “We are not against the tram; we are against "
        "losing our street,” said Inès Nuñez, who organised the petition.",
    ],
)

SAMPLES = [RELEASE, REVIEW, BULLETIN, COUNCIL]


def _pdf_class():
    from fpdf import FPDF

    class SamplePDF(FPDF):
        running_header: str | None = None
        running_footer: str | None = None
        family = "body"

        def header(self) -> None:
            if self.running_header:
                self.set_font(self.family, "", 8)
                self.cell(0, 6, self.running_header, align="C", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self) -> None:
            if self.running_footer:
                self.set_y(-14)
                self.set_font(self.family, "", 8)
                text = self.running_footer.replace("{page}", str(self.page_no())).replace("{pages}", "{nb}")
                self.cell(0, 8, text, align="C")

    return SamplePDF


def build(sample: Sample, folder: Path) -> Built:
    """Write `sample` as `folder/<name>.pdf`; the returned Built says what text it holds and where."""
    pdf = _pdf_class()()
    regular, bold = (str(font_file(f)) for f in FONTS[sample.font])
    pdf.add_font("body", "", regular)
    pdf.add_font("body", "B", bold)
    pdf.running_header, pdf.running_footer = sample.header, sample.footer
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(sample.title)
    pdf.set_author("Press office")
    pdf.add_page()
    blocks: list[str] = []
    pages: list[int | None] = []

    def write(text: str, style: str = "", size: float = sample.size, gap: float = 3) -> None:
        pdf.set_font("body", style, size)
        start = pdf.page_no()
        pdf.multi_cell(0, size * 0.55, text, align=sample.align, new_x="LMARGIN", new_y="NEXT")
        blocks.append(text)
        pages.append(start if pdf.page_no() == start else None)
        pdf.ln(gap)

    for line in sample.letterhead:
        write(line, "B", 9, 1)
    align, sample.align = sample.align, "L"
    write(sample.title, "B", sample.size + 5, 5)
    sample.align = align
    if sample.columns == 1:
        for paragraph in sample.paragraphs:
            heading = len(paragraph) < 40 and paragraph[:1].isdigit()
            write(paragraph, "B" if heading else "", sample.size + (1 if heading else 0))
    else:
        pdf.set_font("body", "", sample.size)
        with pdf.text_columns(ncols=sample.columns, gutter=8, text_align=sample.align, line_height=1.3) as cols:
            for paragraph in sample.paragraphs:
                cols.write(paragraph)
                cols.ln()
                cols.ln()
                blocks.append(paragraph)
                pages.append(None)
    path = folder / f"{sample.name}.pdf"
    pdf.output(str(path))
    return Built(path, "\n\n".join(blocks), blocks, pages, pdf.page_no())


def build_all(folder: Path) -> list[Built]:
    folder.mkdir(parents=True, exist_ok=True)
    return [build(sample, folder) for sample in SAMPLES]


def build_scanned(folder: Path) -> Path:
    """A 'scanned' press release: the page is one picture of text, with no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(font_file(FONTS["sans"][0])), 28)
    for i, line in enumerate(["FOR IMMEDIATE RELEASE", RELEASE.title, *RELEASE.paragraphs[0].split(", ")]):
        draw.text((100, 120 + 48 * i), line, fill="black", font=font)
    picture = folder / "scan.png"
    image.save(picture)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(picture), x=0, y=0, w=210)
    path = folder / "scanned-release.pdf"
    pdf.output(str(path))
    return path


def _sample_html(sample: Sample) -> str:
    import html

    css = (
        "@page { size: A4; margin: 22mm 18mm; } body { font-family: 'DejaVu Serif', serif; font-size: 11pt; }"
        f" main {{ column-count: {sample.columns}; column-gap: 8mm; text-align: "
        f"{'justify' if sample.align == 'J' else 'left'}; }}"
        " .run { position: fixed; left: 0; right: 0; font-size: 8pt; text-align: center; }"
        " .top { top: -14mm; } .bottom { bottom: -14mm; }"
    )
    runs = "".join(
        f"<div class='run {where}'>{html.escape(text.replace('{page}', '').replace(' of {pages}', ''))}</div>"
        for where, text in (("top", sample.header), ("bottom", sample.footer))
        if text
    )
    head = "".join(f"<p><b>{html.escape(line)}</b></p>" for line in sample.letterhead)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in sample.paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(sample.title)}</title>"
        f"<style>{css}</style></head><body>{runs}{head}<h1>{html.escape(sample.title)}</h1><main>{body}</main>"
        "</body></html>"
    )


def chromium() -> str | None:
    import os
    import shutil

    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def build_with_chromium(sample: Sample, folder: Path) -> Built:
    """The same sample printed to PDF by headless Chromium (Skia's PDF writer, as 'Save as PDF' does)."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{sample.name}-chromium.html"
    page.write_text(_sample_html(sample), encoding="utf-8")
    path = folder / f"{sample.name}-chromium.pdf"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    subprocess.run(
        [str(chromium()), *flags, "--no-pdf-header-footer", f"--print-to-pdf={path}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    blocks = [*sample.letterhead, sample.title, *sample.paragraphs]
    from pypdf import PdfReader

    return Built(path, "\n\n".join(blocks), blocks, [None] * len(blocks), len(PdfReader(str(path)).pages))
