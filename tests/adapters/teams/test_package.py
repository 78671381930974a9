import json
import struct
import zipfile
import zlib

import pytest

from adapters.teams.icons import PNG_SIGNATURE, hex_rgb, png
from adapters.teams.manifest import COMMANDS, manifest
from adapters.teams.package import build_package
from bot.commands import keyword
from tests.adapters.teams import manifest_schema

APP_ID = "2f9a7c1e-3b4d-4e5f-8a6b-7c8d9e0f1a2b"
BOT_ID = "8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"
GRAMMAR = {"consejos", "pasos", "revisar", "silenciar", "seguimientos", "recordar", "idioma"}
LEAD = {"equipo", "canal", "reglas"}


@pytest.fixture
def package(tmp_path):
    path = build_package(
        tmp_path / "out" / "calma-teams.zip",
        app_id=APP_ID,
        bot_id=BOT_ID,
        valid_domains=("calma.example.org",),
    )
    with zipfile.ZipFile(path) as archive:
        yield {name: archive.read(name) for name in archive.namelist()}


def read_png(data: bytes):
    """(width, height, colour type, rows of pixel tuples), by hand: chunks, CRCs, IDAT."""
    assert data[:8] == PNG_SIGNATURE
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        pos += 12 + length
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[0][1])
    assert depth == 8
    channels = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(chunks[1][1])
    stride = 1 + width * channels
    assert len(raw) == stride * height
    rows = []
    for y in range(height):
        line = raw[y * stride : (y + 1) * stride]
        assert line[0] == 0
        rows.append([tuple(line[1 + x * channels : 1 + (x + 1) * channels]) for x in range(width)])
    return width, height, colour, rows


def test_zip_holds_exactly_the_manifest_the_icons_and_english(package):
    assert sorted(package) == ["color.png", "en.json", "manifest.json", "outline.png"]


def test_without_english_the_zip_is_manifest_and_icons(tmp_path):
    path = build_package(tmp_path / "p.zip", app_id=APP_ID, bot_id=BOT_ID, english=False)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(archive.read("manifest.json"))
    assert "additionalLanguages" not in data["localizationInfo"]
    assert manifest_schema.errors(data, manifest_schema.MANIFEST) == []


def test_color_icon_is_192_square_opaque_with_the_accent(package):
    width, height, colour, rows = read_png(package["color.png"])
    assert (width, height, colour) == (192, 192, 2)
    assert rows[0][0] == hex_rgb("#2E7D6B")
    assert (255, 255, 255) in {p for row in rows for p in row}  # the symbol


def test_outline_icon_is_32_square_white_on_transparent(package):
    width, height, colour, rows = read_png(package["outline.png"])
    assert (width, height, colour) == (32, 32, 6)
    pixels = {p for row in rows for p in row}
    assert pixels == {(0, 0, 0, 0), (255, 255, 255, 255)}


def test_manifest_passes_the_v1_19_subset_schema(package):
    data = json.loads(package["manifest.json"])
    assert manifest_schema.errors(data, manifest_schema.MANIFEST) == []
    assert data["manifestVersion"] == "1.19"
    assert data["$schema"].endswith("/v1.19/MicrosoftTeams.schema.json")


def test_manifest_ids_and_rsc_permission(package):
    data = json.loads(package["manifest.json"])
    assert data["id"] == APP_ID
    assert data["bots"][0]["botId"] == BOT_ID
    assert data["webApplicationInfo"] == {"id": BOT_ID, "resource": f"api://botid-{BOT_ID}"}
    assert data["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert data["validDomains"] == ["calma.example.org"]


def test_bot_scopes_and_command_lists(package):
    bot = json.loads(package["manifest.json"])["bots"][0]
    assert bot["scopes"] == ["personal", "team"]
    assert bot["supportsFiles"] is False
    lists = {tuple(c["scopes"]): {x["title"] for x in c["commands"]} for c in bot["commandLists"]}
    assert set(lists) == {("personal",), ("team",)}
    assert GRAMMAR | {"ayuda", "equipo", "reglas"} <= lists[("personal",)]
    assert {"consejos", "pasos", "revisar", "ayuda"} | LEAD <= lists[("team",)]


def test_every_grammar_word_is_offered_somewhere():
    assert {c.title for c in COMMANDS} == GRAMMAR | LEAD | {"ayuda"}
    assert all(c.title == keyword(c.name, "es") for c in COMMANDS)  # the table's words


def test_names_are_spanish_with_english_localization(package):
    data = json.loads(package["manifest.json"])
    assert data["localizationInfo"]["defaultLanguageTag"] == "es"
    assert data["localizationInfo"]["additionalLanguages"] == [
        {"languageTag": "en", "file": "en.json"}
    ]
    assert "cliente" in data["description"]["full"]
    english = json.loads(package["en.json"])
    assert manifest_schema.errors(english, manifest_schema.LOCALIZATION) == []
    assert "customer" in english["description.full"]
    assert english["bots[0].commandLists[0].commands[0].description"] == "The 7 calm-down tips"


def test_english_strings_cover_every_command_description(package):
    data = json.loads(package["manifest.json"])
    english = json.loads(package["en.json"])
    for i, command_list in enumerate(data["bots"][0]["commandLists"]):
        for j, _ in enumerate(command_list["commands"]):
            assert f"bots[0].commandLists[{i}].commands[{j}].description" in english


def test_package_bytes_are_reproducible(tmp_path):
    first = build_package(tmp_path / "a.zip", app_id=APP_ID, bot_id=BOT_ID).read_bytes()
    second = build_package(tmp_path / "b.zip", app_id=APP_ID, bot_id=BOT_ID).read_bytes()
    assert first == second


def test_bot_id_defaults_to_the_app_id(tmp_path):
    path = build_package(tmp_path / "p.zip", app_id=APP_ID)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("manifest.json"))
    assert data["bots"][0]["botId"] == data["webApplicationInfo"]["id"] == APP_ID


@pytest.mark.parametrize("bad", ["", "calma", "28:8d3e6f7a-1b2c-4d5e-9f80-a1b2c3d4e5f6"])
def test_ids_must_be_guids(bad):
    with pytest.raises(ValueError, match="GUID"):
        manifest(app_id=bad, bot_id=BOT_ID)
    with pytest.raises(ValueError, match="GUID"):
        manifest(app_id=APP_ID, bot_id=bad)


def test_the_schema_check_catches_broken_manifests():
    good = manifest(app_id=APP_ID, bot_id=BOT_ID)
    broken = json.loads(json.dumps(good))
    del broken["developer"]["privacyUrl"]
    broken["manifestVersion"] = "1.17"
    broken["name"]["short"] = "x" * 31
    broken["bots"][0]["scopes"] = ["channel"]
    broken["bots"][0]["commandLists"][0]["commands"] *= 2
    broken["accentColor"] = "green"
    problems = "\n".join(manifest_schema.errors(broken, manifest_schema.MANIFEST))
    for expected in (
        "missing privacyUrl",
        "'1.17' not in",
        "longer than 30",
        "'channel' not in",
        "more than 10 items",
        "'green' does not match",
    ):
        assert expected in problems


def test_png_writer_rejects_wrong_channel_counts():
    with pytest.raises(ValueError):
        png(1, 1, lambda x, y: (0, 0, 0), alpha=True)
