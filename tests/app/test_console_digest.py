"""`/coach resumen` in the console: the digest's text, and its chart as a PNG file whose path is
printed (read back: a real PNG of a sensible size that is not blank)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from tests.app.test_console import Chat


async def test_the_console_prints_the_digest_and_writes_its_chart(tmp_path: Path) -> None:
    from matplotlib.image import imread

    chat = Chat(tmp_path / "calma.db")
    await chat.wait_for("Calma")
    chat.send("Usted debería haber leído el correo")
    await chat.wait_for("[solo para ti]")
    chat.send("/coach resumen")
    await chat.wait_for("Resumen del equipo: últimos 7 días")
    saved = await chat.wait_for("Gráfico guardado en")
    path = Path(re.search(r"Gráfico guardado en (.+\.png)$", saved).group(1))  # type: ignore[union-attr]
    assert path.parent == tmp_path
    data = path.read_bytes()
    pixels = imread(io.BytesIO(data), format="png")
    height, width = pixels.shape[:2]
    assert (width, height) == (640, 320)
    assert (pixels.reshape(-1, pixels.shape[-1]) != pixels[0, 0]).any()  # not blank
    assert await chat.close() == 0


async def test_the_console_prints_my_figures_and_writes_their_chart(tmp_path: Path) -> None:
    from matplotlib.image import imread

    chat = Chat(tmp_path / "calma.db")
    await chat.wait_for("Calma")
    chat.send("Usted debería haber leído el correo")
    await chat.wait_for("[solo para ti]")
    chat.send("/coach mis-cifras")
    await chat.wait_for("Tus cifras: últimos 7 días")
    await chat.wait_for("Juicios sobre el cliente: 1 (antes 0)")
    saved = await chat.wait_for("Gráfico guardado en")
    path = Path(re.search(r"Gráfico guardado en (.+\.png)$", saved).group(1))  # type: ignore[union-attr]
    assert path.parent == tmp_path
    pixels = imread(io.BytesIO(path.read_bytes()), format="png")
    assert pixels.shape[:2] == (320, 640)
    assert (pixels.reshape(-1, pixels.shape[-1]) != pixels[0, 0]).any()  # not blank
    assert await chat.close() == 0
