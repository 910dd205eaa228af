"""The benchmark corpus: a few hundred signed documents like the example Công văn.

Run from the repository root (the ``fixtures`` extra must be installed)::

    python bench/corpus.py [--docs 300] [--seed 13] [--force] [--jobs 2]

It writes ``bench/out/corpus/`` (git-ignored): the documents in ``docs/``, the 30 MB
scan in ``large/`` and ``corpus.json``, the manifest (kind, pages, size and the
signatures of each document). Every document
imitates the real workflow of ``tests/fixtures/cong-van-2971-snv-vp.pdf``: the
competent person signs first (visible stamp, RFC 3161 timestamp), then the agency
seals four times in new fields (one stamp over the person's, two at the top right of
page 1, one invisible). Built with the test PKI and the deterministic signing helpers
of ``tests/fixtures/make_fixtures.py`` (imported, not copied). Kinds:

* ``letter``: a text-only Công văn of 2 to 5 pages (about 150-250 KB);
* ``attachments``: the letter followed by 1 to 6 scanned attachment pages (JPEG
  images), up to a few MB;
* ``tagged-certified``: a tagged PDF (structure tree, marked content, /MarkInfo); the
  person's signature *certifies* it (DocMDP P=2) and each agency seal, in a new field,
  also adds its widget to the structure tree, as Word/Acrobat-made documents do;
* ``scan``: one image-only document of about 30 MB, two signatures (person, agency).

Generation takes minutes, so the result is cached: it is rebuilt only when asked
(``--force``) or when the recipe changed: the code of this file, the code of
make_fixtures.py it uses (comments and docstrings aside), the PKI, the document count
or the seed (``corpus.json`` records the recipe's hash). The same seed
gives the same documents; byte-identity across machines also needs the same DejaVu
and libjpeg versions (the verdicts do not depend on it).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
OUT = ROOT / "bench" / "out" / "corpus"
MANIFEST = "corpus.json"
DOCS, LARGE = "docs", "large"  # sub-folders: the few hundred documents, the 30 MB scan
FORMAT = 1  # bump when the manifest's shape changes

sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(FIXTURES / "attacks"))

# The kinds in one cycle of 20 documents (a mix close to an agency's outbox).
CYCLE = ("letter",) * 9 + ("attachments",) * 7 + ("tagged-certified",) * 4
SCAN_NAME = "scan-30mb.pdf"
SCAN_TARGET = 30 * 1024 * 1024


@dataclass
class SignatureFacts:
    """What the floor needs about one signature (see bench_corpus.py)."""

    field: str
    signer: str
    timestamped: bool
    certify: bool = False


@dataclass
class DocumentFacts:
    name: str
    kind: str
    pages: int
    size: int = 0
    signatures: list[SignatureFacts] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentPlan:
    """Everything that decides one document, drawn from the seed up front."""

    index: int
    kind: str
    number: int
    extra_paragraphs: int
    attachment_pages: int
    image_seed: int

    @property
    def name(self) -> str:
        return f"{self.index:04d}-{self.kind}-{self.number}.pdf"


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and \
                isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body.pop(0)
    return tree


def _code_digest(path: Path) -> bytes:
    """The code of a module, blind to comments, docstrings and layout."""
    tree = _strip_docstrings(ast.parse(path.read_text(encoding="utf-8")))
    return hashlib.sha256(ast.dump(tree).encode()).digest()


def _used_fixture_code() -> bytes:
    """The code of make_fixtures.py that this generator depends on, and no more.

    The names this file reads from it (``mf.<name>``, plus what make_attacks.load_pki
    uses), then every top-level definition they mention, transitively: a new fixture
    or constant there does not throw the cached corpus away, a change in a signing
    helper does.
    """
    tree = _strip_docstrings(ast.parse((FIXTURES / "make_fixtures.py").read_text("utf-8")))
    defined: dict[str, ast.AST] = {}
    for node in tree.body:  # type: ignore[attr-defined]
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defined[target.id] = node
    own = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    todo = {n.attr for n in ast.walk(own) if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name) and n.value.id == "mf"} | {"Pki", "PKI_DIR"}
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in defined:
            continue
        seen.add(name)
        todo |= {n.id for n in ast.walk(defined[name]) if isinstance(n, ast.Name)}
    digest = hashlib.sha256()
    for name in sorted(seen):
        digest.update(name.encode() + ast.dump(defined[name]).encode())
    return digest.digest()


def recipe_hash(docs: int, seed: int) -> str:
    """Changes whenever anything that shapes the corpus changes (not for comments)."""
    digest = hashlib.sha256(f"{FORMAT}:{docs}:{seed}".encode())
    digest.update(_code_digest(Path(__file__)))
    digest.update(_used_fixture_code())
    for path in sorted((FIXTURES / "pki").glob("*.pem")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def plans(docs: int, seed: int) -> list[DocumentPlan]:
    rng = random.Random(seed)
    result = []
    for index in range(docs):
        kind = CYCLE[index % len(CYCLE)]
        result.append(DocumentPlan(
            index=index, kind=kind, number=3000 + index,
            extra_paragraphs=rng.randint(0, 14),
            attachment_pages=rng.randint(1, 6) if kind == "attachments" else 0,
            image_seed=rng.randrange(1 << 30),
        ))
    return result


# --------------------------------------------------------------------------------------
# Building one document (runs in a worker process)
# --------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}


def _setup() -> tuple[Any, Any]:
    """make_fixtures and the committed PKI, once per process (fonts registered, TZ set)."""
    if not _STATE:
        import logging

        import make_attacks
        import make_fixtures as mf

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        # pyHanko's stamps take local time from tzlocal, which reads TZ on first use.
        os.environ["TZ"] = "Asia/Ho_Chi_Minh"
        time.tzset()
        mf.register_body_fonts()
        _STATE["mf"] = mf
        _STATE["pki"] = make_attacks.load_pki()
    return _STATE["mf"], _STATE["pki"]


def _letter(mf: Any, plan: DocumentPlan) -> Any:
    """The example Công văn with its own number and a longer or shorter body."""
    rng = random.Random(plan.image_seed)
    paragraphs = [b for b in mf.MAIN_BODY if isinstance(b, mf.Para) and not b.bold]
    body = list(mf.MAIN_BODY[:-1])
    body += [rng.choice(paragraphs) for _ in range(plan.extra_paragraphs)]
    body.append(mf.MAIN_BODY[-1])
    letter = mf.main_letter()
    return replace(letter, number=f"Số: {plan.number}/SNV-VP", body=tuple(body),
                   title=letter.title.replace("2971", str(plan.number)))


def scan_jpeg(seed: int, width: int, height: int, *, color: bool, quality: int = 80) -> bytes:
    """A page that looks (and compresses) like a scan: paper grain, text-like bars."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    bands = [Image.frombytes("L", (width, height), rng.randbytes(width * height))
             .point(lambda v: 224 + v * 24 // 255) for _ in range(3 if color else 1)]
    page = Image.merge("RGB", bands) if color else bands[0]
    draw = ImageDraw.Draw(page)
    ink = (40, 40, 60) if color else 50
    line_height = max(height // 60, 8)
    for top in range(height // 10, height - height // 10, line_height * 2):
        left = width // 10
        length = int(width * rng.uniform(0.45, 0.8))
        draw.rectangle((left, top, left + length, top + line_height), fill=ink)
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _image_page(mf: Any, writer: Any, jpeg: bytes, width: int, height: int, color: bool
                ) -> Any:
    """An A4 page showing one JPEG over the whole page (a scanned sheet)."""
    from pyhanko.pdf_utils import generic

    name = generic.NameObject
    image = generic.StreamObject({
        name("/Type"): name("/XObject"), name("/Subtype"): name("/Image"),
        name("/Width"): generic.NumberObject(width),
        name("/Height"): generic.NumberObject(height),
        name("/ColorSpace"): name("/DeviceRGB" if color else "/DeviceGray"),
        name("/BitsPerComponent"): generic.NumberObject(8),
        name("/Filter"): name("/DCTDecode"),
    }, encoded_data=jpeg)
    w, h = mf.PAGE_WIDTH, mf.PAGE_HEIGHT
    content = generic.StreamObject(stream_data=b"q %.2f 0 0 %.2f 0 0 cm /Scan Do Q" % (w, h))
    return generic.DictionaryObject({
        name("/Type"): name("/Page"),
        name("/MediaBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, w, h)]),
        name("/Resources"): generic.DictionaryObject({
            name("/XObject"): generic.DictionaryObject({name("/Scan"): writer.add_object(image)}),
        }),
        name("/Contents"): writer.add_object(content),
    })


def _rewrite(mf: Any, pdf: bytes | None, label: str, pages: list[tuple[bytes, int, int, bool]],
             tagged: bool) -> bytes:
    """The unsigned document: ``pdf`` (or nothing) plus image pages, optionally tagged."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import PdfFileWriter, copy_into_new_writer

    with mf.frozen_clock(mf.DOCUMENT_CREATED, f"rewrite:{label}"):
        if pdf is None:
            writer = PdfFileWriter(stream_xrefs=False)
        else:
            writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf)))
        writer._document_id = generic.ArrayObject(  # PdfFileWriter's /ID is os.urandom
            [generic.ByteStringObject(mf.derive_bytes(f"bench-id:{label}:{i}", 16))
             for i in (1, 2)])
        for jpeg, width, height, color in pages:
            writer.insert_page(_image_page(mf, writer, jpeg, width, height, color))
        if tagged:
            _tag(writer)
        out = io.BytesIO()
        writer.write(out)
    return out.getvalue()


def _page_refs(writer: Any) -> Iterator[Any]:
    stack = [writer.root.raw_get("/Pages")]
    while stack:
        ref = stack.pop()
        node = ref.get_object()
        if "/Kids" in node:
            stack.extend(reversed(list(node["/Kids"].raw_get(i)
                                        for i in range(len(node["/Kids"])))))
        else:
            yield ref


def _tag(writer: Any) -> None:
    """Make the document a tagged PDF: one marked-content sequence per page, a /P or
    /Figure element for it under /Document, the /ParentTree and /MarkInfo."""
    from pyhanko.pdf_utils import generic

    name = generic.NameObject
    tree_root = generic.DictionaryObject({name("/Type"): name("/StructTreeRoot")})
    tree_root_ref = writer.add_object(tree_root)
    document = generic.DictionaryObject({name("/Type"): name("/StructElem"),
                                         name("/S"): name("/Document"),
                                         name("/P"): tree_root_ref})
    document_ref = writer.add_object(document)
    kids = generic.ArrayObject()
    nums = generic.ArrayObject()
    for key, page_ref in enumerate(_page_refs(writer)):
        page = page_ref.get_object()
        is_image = "/XObject" in page["/Resources"] and "/Font" not in page["/Resources"]
        tag = "/Figure" if is_image else "/P"
        begin = writer.add_object(generic.StreamObject(
            stream_data=b"%s <</MCID 0>> BDC q\n" % tag.encode()))
        end = writer.add_object(generic.StreamObject(stream_data=b"\nQ EMC"))
        contents = page.raw_get("/Contents")
        old = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
        page[name("/Contents")] = generic.ArrayObject([begin, *old, end])
        page[name("/StructParents")] = generic.NumberObject(key)
        element = generic.DictionaryObject({
            name("/Type"): name("/StructElem"), name("/S"): name(tag),
            name("/P"): document_ref, name("/Pg"): page_ref, name("/K"): generic.NumberObject(0),
        })
        if is_image:
            element[name("/Alt")] = generic.TextStringObject("Phụ lục (bản scan)")
        element_ref = writer.add_object(element)
        kids.append(element_ref)
        nums.extend([generic.NumberObject(key), generic.ArrayObject([element_ref])])
    document[name("/K")] = kids
    parent_tree = writer.add_object(generic.DictionaryObject({name("/Nums"): nums}))
    tree_root[name("/K")] = document_ref
    tree_root[name("/ParentTree")] = parent_tree
    tree_root[name("/ParentTreeNextKey")] = generic.NumberObject(len(nums) // 2)
    writer.root[name("/StructTreeRoot")] = tree_root_ref
    writer.root[name("/MarkInfo")] = generic.DictionaryObject(
        {name("/Marked"): generic.BooleanObject(True)})
    writer.update_root()


def sign_tagged(mf: Any, pki: Any, pdf: bytes, job: Any, *, certify: bool) -> bytes:
    """One signature in a new field whose widget also joins the structure tree.

    make_fixtures.sign cannot certify nor touch the structure tree, so the signing
    steps are spelt out here with its deterministic writer, clock and TSA.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert = pki.certs[job.signer]
    reason = mf.signature_reason(cert)
    meta = signers.PdfSignatureMetadata(
        field_name=job.field_name, md_algorithm="sha256",
        subfilter=SigSeedSubFilter.ADOBE_PKCS7_DETACHED, reason=reason,
        location=mf.LOCATION, certify=certify, docmdp_permissions=MDPPerm.FILL_FORMS)
    signer = signers.SimpleSigner(pki.asn1_cert(job.signer), pki.asn1_key(job.signer),
                                  cert_registry=SimpleCertificateStore())
    label = f"bench:{job.field_name}:{job.signer}:{job.at.isoformat()}"
    name = generic.NameObject
    with mf.frozen_clock(job.at, label), mf.pinned_token_bytes(label):
        writer = mf.DeterministicIncrementalWriter(io.BytesIO(pdf))
        page = job.stamp.page if job.stamp else 0
        fields.append_signature_field(writer, fields.SigFieldSpec(
            job.field_name, on_page=page, box=job.stamp.box if job.stamp else None))
        field_ref = next(ref for ref in writer.root["/AcroForm"]["/Fields"]
                         if ref.get_object().get("/T") == job.field_name)
        page_ref = writer.find_page_for_modification(page)[0]
        tree_root_ref = writer.root.raw_get("/StructTreeRoot")
        tree_root = tree_root_ref.get_object()
        document_ref = tree_root.raw_get("/K")
        key = int(tree_root["/ParentTreeNextKey"])
        element = writer.add_object(generic.DictionaryObject({
            name("/Type"): name("/StructElem"), name("/S"): name("/Form"),
            name("/P"): document_ref, name("/Pg"): page_ref,
            name("/K"): generic.DictionaryObject({
                name("/Type"): name("/OBJR"), name("/Obj"): field_ref, name("/Pg"): page_ref}),
        }))
        document_ref.get_object()["/K"].append(element)
        writer.mark_update(document_ref)
        field_ref.get_object()[name("/StructParent")] = generic.NumberObject(key)
        writer.mark_update(field_ref)
        parent_tree_ref = tree_root.raw_get("/ParentTree")
        parent_tree_ref.get_object()["/Nums"].extend([generic.NumberObject(key), element])
        writer.mark_update(parent_tree_ref)
        tree_root[name("/ParentTreeNextKey")] = generic.NumberObject(key + 1)
        writer.mark_update(tree_root_ref)
        pdf_signer = signers.PdfSigner(
            meta, signer=signer,
            timestamper=mf.DeterministicTimeStamper(pki, job.at) if job.timestamp else None,
            stamp_style=mf.stamp_style(job.stamp, reason) if job.stamp else None)
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def _five_jobs(mf: Any, layout: Any) -> list[Any]:
    """The five signatures of the example, in its order (make_main_fixture's jobs)."""
    job = mf.SignatureJob
    return [
        job("Signature1", "buivannam", mf.PERSONAL_SIGNING_TIME, mf.personal_stamp(layout),
            timestamp=True),
        job("Signature2", "sonoivu", mf.SEAL_SIGNING_TIME, mf.seal_stamp(layout)),
        job("Signature3", "sonoivu", mf.SEAL_SIGNING_TIME, mf.top_right_stamp(0)),
        job("Signature4", "sonoivu", mf.SEAL_SIGNING_TIME),
        job("Signature5", "sonoivu", mf.LATE_SEAL_SIGNING_TIME, mf.top_right_stamp(1),
            timestamp=True),
    ]


def _attachments(plan: DocumentPlan) -> list[tuple[bytes, int, int, bool]]:
    rng = random.Random(plan.image_seed)
    pages = []
    for page in range(plan.attachment_pages):
        color = rng.random() < 0.3
        width, height = (1240, 1754) if rng.random() < 0.5 else (992, 1403)  # 150/120 dpi
        jpeg = scan_jpeg(plan.image_seed + page, width, height, color=color)
        pages.append((jpeg, width, height, color))
    return pages


def build_document(plan: DocumentPlan, folder: Path) -> DocumentFacts:
    mf, pki = _setup()
    unsigned, layout = mf.render_letter(_letter(mf, plan))
    tagged = plan.kind == "tagged-certified"
    if plan.attachment_pages or tagged:
        unsigned = _rewrite(mf, unsigned, plan.name, _attachments(plan), tagged)
    pdf = unsigned
    facts = DocumentFacts(plan.name, plan.kind, pages=0)
    for number, job in enumerate(_five_jobs(mf, layout)):
        certify = tagged and number == 0
        if tagged:
            pdf = sign_tagged(mf, pki, pdf, job, certify=certify)
        else:
            pdf = mf.sign(pdf, job, pki)
        facts.signatures.append(SignatureFacts(job.field_name, job.signer, job.timestamp,
                                               certify))
    return _written(folder, facts, pdf)


def build_scan(folder: Path, seed: int) -> DocumentFacts:
    """About 30 MB of colour scan pages at 200 dpi, signed by the person and the agency."""
    mf, pki = _setup()
    pages: list[tuple[bytes, int, int, bool]] = []
    total, page = 0, 0
    while total < SCAN_TARGET - 1_500_000:
        jpeg = scan_jpeg(seed * 1000 + page, 1654, 2339, color=True, quality=85)
        pages.append((jpeg, 1654, 2339, True))
        total += len(jpeg)
        page += 1
    pdf = _rewrite(mf, None, SCAN_NAME, pages, tagged=False)
    top = mf.top_right_stamp
    jobs = [mf.SignatureJob("Signature1", "buivannam", mf.PERSONAL_SIGNING_TIME, top(0),
                            timestamp=True),
            mf.SignatureJob("Signature2", "sonoivu", mf.SEAL_SIGNING_TIME, top(1),
                            timestamp=True)]
    facts = DocumentFacts(SCAN_NAME, "scan", pages=0)
    for job in jobs:
        pdf = mf.sign(pdf, job, pki)
        facts.signatures.append(SignatureFacts(job.field_name, job.signer, job.timestamp))
    return _written(folder, facts, pdf)


def _written(folder: Path, facts: DocumentFacts, pdf: bytes) -> DocumentFacts:
    from pyhanko.pdf_utils.reader import PdfFileReader

    (folder / facts.name).write_bytes(pdf)
    facts.size = len(pdf)
    facts.pages = int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
    return facts


def _build_one(task: tuple[str, Any, str]) -> dict[str, Any]:
    what, arg, folder = task
    if what == "scan":
        return asdict(build_scan(Path(folder) / LARGE, arg))
    return asdict(build_document(arg, Path(folder) / DOCS))


# --------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------


def load_manifest(folder: Path = OUT) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def _complete(folder: Path, manifest: dict[str, Any]) -> bool:
    return all((folder / DOCS / d["name"]).is_file() for d in manifest["documents"]) and \
        all((folder / LARGE / d["name"]).is_file() for d in manifest["large"])


def ensure_corpus(docs: int = 300, seed: int = 13, *, force: bool = False, jobs: int = 0,
                  folder: Path = OUT, log: Any = print) -> dict[str, Any]:
    """The manifest of an up-to-date corpus in ``folder``, generating it if needed."""
    recipe = recipe_hash(docs, seed)
    manifest = load_manifest(folder)
    if not force and manifest is not None and manifest.get("recipe") == recipe and \
            _complete(folder, manifest):
        return manifest
    for sub in (DOCS, LARGE):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        for old in (folder / sub).glob("*.pdf"):
            old.unlink()
    (folder / MANIFEST).unlink(missing_ok=True)
    tasks: list[tuple[str, Any, str]] = [("scan", seed, str(folder))]
    tasks += [("doc", plan, str(folder)) for plan in plans(docs, seed)]
    workers = jobs or os.cpu_count() or 1
    log(f"generating {docs} documents + {SCAN_NAME} in {folder} ({workers} processes)...")
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        built = list(pool.map(_build_one, tasks, chunksize=4))
    manifest = {"format": FORMAT, "recipe": recipe, "docs": docs, "seed": seed,
                "documents": sorted((d for d in built if d["kind"] != "scan"),
                                    key=lambda d: d["name"]),
                "large": [d for d in built if d["kind"] == "scan"]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    log(f"generated in {time.perf_counter() - started:.0f} s")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    parser.add_argument("--jobs", type=int, default=0, help="processes (default: all cores)")
    args = parser.parse_args()
    manifest = ensure_corpus(args.docs, args.seed, force=args.force, jobs=args.jobs)
    sizes = [d["size"] for d in manifest["documents"]]
    signatures = sum(len(d["signatures"]) for d in manifest["documents"])
    kinds = sorted({d["kind"] for d in manifest["documents"]})
    print(f"{OUT / DOCS}: {len(sizes)} documents ({', '.join(kinds)}), {signatures} "
          f"signatures, {sum(sizes) / 1e6:.1f} MB (smallest {min(sizes) / 1e3:.0f} KB, "
          f"largest {max(sizes) / 1e6:.1f} MB)")
    for doc in manifest["large"]:
        print(f"{OUT / LARGE / doc['name']}: {doc['size'] / 1e6:.1f} MB, {doc['pages']} pages, "
              f"{len(doc['signatures'])} signatures")


if __name__ == "__main__":
    main()
