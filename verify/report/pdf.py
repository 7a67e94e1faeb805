"""report.html -> report.pdf with WeasyPrint: PDF/A-3b, tagged, fonts embedded, with the run's
companions attached; fetching nothing outside report_templates/.

A facility name or evidence text is data from the plant; if it ever reached the HTML as markup
(an <img src="http://...">, a CSS url()), rendering must not reach the network or the disk.
Autoescaping keeps data as text; `ReportFetcher` is the second wall: it serves files under the
templates directory and data: URLs, and refuses every other URL (and records it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML, Attachment, URLFetcher

from verify.model.errors import RefusedURL
from verify.report.settings import layout, templates_dir


class ReportFetcher(URLFetcher):
    """Serves report_templates/ files and data: URLs; refuses and records everything else."""

    def __init__(self, root: Path | None = None, **kwargs):
        super().__init__(**kwargs)
        self.root = (root or templates_dir()).resolve()
        self.fetched: list[str] = []
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        """True for data: URLs and file: URLs that resolve inside the templates directory."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return True
        if scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(url2pathname(parts.path)).resolve()
        return path.is_relative_to(self.root) and path.is_file()

    def fetch(self, url, headers=None):
        if not self.allows(url):
            self.refused.append(url)
            raise RefusedURL(f"report rendering may not fetch {url[:200]!r}")
        self.fetched.append(url)
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Attached:
    """A file carried inside the PDF (PDF/A-3 associated file): its name, bytes and role."""

    name: str
    data: bytes
    description: str
    relationship: str = "Supplement"

    @classmethod
    def of(cls, path: Path) -> Attached:
        path = Path(path)
        described = layout()["pdf"]["attachments"]
        return cls(path.name, path.read_bytes(), described.get(path.name, path.name))

    def weasy(self) -> Attachment:
        return Attachment(file_obj=io.BytesIO(self.data), name=self.name,
                          description=self.description, relationship=self.relationship)


def render_pdf(html: str, out: Path, fetcher: ReportFetcher | None = None,
               attachments: list[Attached] = ()) -> Path:
    """Write the PDF of a report rendered by `render_html` (PDF/A-3b, tagged), fonts from
    report_templates/, `attachments` embedded as associated files."""
    fetcher = fetcher or ReportFetcher()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    settings = layout()["pdf"]
    document = HTML(string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher)
    document.write_pdf(out, pdf_variant=settings["variant"], pdf_tags=settings["tagged"],
                       attachments=[a.weasy() for a in attachments] or None,
                       custom_metadata=False)
    return out
