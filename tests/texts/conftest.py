import struct
import zlib
from pathlib import Path

import docx
import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def png() -> bytes:
    """A valid 1×1 PNG (python-docx reads the image's size from its header)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def fixture_lines(name: str) -> list[str]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.fixture
def make_docx(tmp_path):
    """Write a DOCX of ``blocks``: a string is a paragraph, a list of rows a table, and
    ("image", name) a paragraph holding a picture."""
    def make(blocks, name="text.docx"):
        word = docx.Document()
        for block in blocks:
            if isinstance(block, str):
                word.add_paragraph(block)
            elif isinstance(block, tuple) and block[0] == "image":
                image = tmp_path / block[1]
                image.write_bytes(png())
                word.add_paragraph().add_run().add_picture(str(image))
            else:
                table = word.add_table(rows=len(block), cols=len(block[0]))
                for row, cells in zip(table.rows, block, strict=True):
                    for cell, text in zip(row.cells, cells, strict=True):
                        cell.text = text
        path = tmp_path / name
        word.save(path)
        return path
    return make
