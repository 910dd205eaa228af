/*
 * vnsign.pdf._textscan: what pdfium knows about each character of a text page, read in one
 * call from Python instead of several a character (scan: for the page's lines; boxes: for
 * the visual check's text layer).
 *
 * vnsign.pdf.layout rebuilds the lines of every page from where each character stands.
 * Through ctypes each of pdfium's per-character getters costs a quarter of a microsecond
 * of call overhead, six of them a character, for pdfium work that takes a few nanoseconds:
 * on a 29-page decree (64,000 characters) 157 ms of ctypes calls against 3 ms here. This
 * module only *reads*: it calls the same six pdfium functions, in the same order, for
 * every character, and packs what they answer into one bytes object; every decision about
 * the characters stays in Python (layout._chars), which reads these records or, when this
 * module was not built (no C compiler at install), makes the same calls through ctypes.
 *
 * It links against nothing: the caller passes the address of the text page and of each
 * function, taken from pypdfium2's own bindings, so the very library pypdfium2 loaded is
 * called. The GIL is held throughout, like every other pdfium call of vnsign's (pdfium is
 * not thread-safe).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if defined(_WIN32) && !defined(_WIN64)
#define PDFIUM_CALL __stdcall
#else
#define PDFIUM_CALL
#endif

typedef struct {
    float left, top, right, bottom; /* pdfium's FS_RECTF */
} rect_f;

typedef unsigned int(PDFIUM_CALL *get_unicode_f)(void *, int);
typedef int(PDFIUM_CALL *has_map_error_f)(void *, int);
typedef float(PDFIUM_CALL *get_angle_f)(void *, int);
typedef int(PDFIUM_CALL *get_loose_box_f)(void *, int, rect_f *);
typedef double(PDFIUM_CALL *get_font_size_f)(void *, int);
typedef int(PDFIUM_CALL *get_origin_f)(void *, int, double *, double *);

/* One character; layout.RECORD is its struct format ("=IifI4fdii2d", 64 bytes). */
typedef struct {
    uint32_t unicode;   /* FPDFText_GetUnicode */
    int32_t map_error;  /* FPDFText_HasUnicodeMapError */
    float angle;        /* FPDFText_GetCharAngle */
    int32_t box_ok;     /* FPDFText_GetLooseCharBox's answer ... */
    float box[4];       /* ... and the box: left, top, right, bottom (zeros if it failed) */
    double font_size;   /* FPDFText_GetFontSize */
    int32_t origin_ok;  /* FPDFText_GetCharOrigin's answer ... */
    int32_t padding;
    double x, y;        /* ... and the origin (zeros if it failed) */
} record;

static PyObject *scan(PyObject *module, PyObject *args) {
    unsigned long long page, f_unicode, f_map_error, f_angle, f_box, f_size, f_origin;
    int count;
    (void)module;
    if (!PyArg_ParseTuple(args, "Ki(KKKKKK):scan", &page, &count, &f_unicode, &f_map_error,
                          &f_angle, &f_box, &f_size, &f_origin)) {
        return NULL;
    }
    if (!page || !f_unicode || !f_map_error || !f_angle || !f_box || !f_size || !f_origin) {
        PyErr_SetString(PyExc_ValueError, "a null text page or function");
        return NULL;
    }
    if (count < 0) {
        count = 0;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count * (Py_ssize_t)sizeof(record));
    if (out == NULL) {
        return NULL;
    }
    void *textpage = (void *)(uintptr_t)page;
    get_unicode_f get_unicode = (get_unicode_f)(uintptr_t)f_unicode;
    has_map_error_f has_map_error = (has_map_error_f)(uintptr_t)f_map_error;
    get_angle_f get_angle = (get_angle_f)(uintptr_t)f_angle;
    get_loose_box_f get_loose_box = (get_loose_box_f)(uintptr_t)f_box;
    get_font_size_f get_font_size = (get_font_size_f)(uintptr_t)f_size;
    get_origin_f get_origin = (get_origin_f)(uintptr_t)f_origin;
    record *r = (record *)PyBytes_AS_STRING(out);
    for (int i = 0; i < count; i++, r++) {
        rect_f box;
        double x = 0.0, y = 0.0;
        memset(&box, 0, sizeof box);
        r->unicode = get_unicode(textpage, i);
        r->map_error = has_map_error(textpage, i);
        r->angle = get_angle(textpage, i);
        r->box_ok = get_loose_box(textpage, i, &box);
        r->box[0] = box.left;
        r->box[1] = box.top;
        r->box[2] = box.right;
        r->box[3] = box.bottom;
        r->font_size = get_font_size(textpage, i);
        r->origin_ok = get_origin(textpage, i, &x, &y);
        r->padding = 0;
        r->x = x;
        r->y = y;
    }
    return out;
}

typedef int(PDFIUM_CALL *get_char_box_f)(void *, int, double *, double *, double *, double *);

/* boxes(textpage, count, FPDFText_GetCharBox) -> bytes | None: left, right, bottom, top
 * (doubles, FPDFText_GetCharBox's order) of each character, for the visual check's text
 * layer (vnsign.pdf.visual._char_boxes); None when pdfium refuses any of them. */
static PyObject *boxes(PyObject *module, PyObject *args) {
    unsigned long long page, f_box;
    int count;
    (void)module;
    if (!PyArg_ParseTuple(args, "KiK:boxes", &page, &count, &f_box)) {
        return NULL;
    }
    if (!page || !f_box) {
        PyErr_SetString(PyExc_ValueError, "a null text page or function");
        return NULL;
    }
    if (count < 0) {
        count = 0;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count * 4 * (Py_ssize_t)sizeof(double));
    if (out == NULL) {
        return NULL;
    }
    void *textpage = (void *)(uintptr_t)page;
    get_char_box_f get_char_box = (get_char_box_f)(uintptr_t)f_box;
    double *v = (double *)PyBytes_AS_STRING(out);
    for (int i = 0; i < count; i++, v += 4) {
        if (!get_char_box(textpage, i, v, v + 1, v + 2, v + 3)) {
            Py_DECREF(out);
            Py_RETURN_NONE;
        }
    }
    return out;
}

static PyMethodDef methods[] = {
    {"boxes", boxes, METH_VARARGS,
     "boxes(textpage, count, get_char_box) -> bytes | None: four doubles a character "
     "(left, right, bottom, top), None if pdfium refuses one."},
    {"scan", scan, METH_VARARGS,
     "scan(textpage, count, (unicode, map_error, angle, loose_box, font_size, origin)) -> "
     "bytes: one 64-byte record a character (vnsign.pdf.layout.RECORD)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef textscan_module = {
    PyModuleDef_HEAD_INIT, "_textscan",
    "pdfium's per-character text data of a page, read in one call (vnsign.pdf.layout).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__textscan(void) { return PyModule_Create(&textscan_module); }
