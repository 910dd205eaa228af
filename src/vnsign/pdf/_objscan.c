/*
 * vnsign.pdf._objscan: vnsign.pdf.object_reader's walk over one PDF object, in C.
 *
 * object_reader parses whole dictionaries, arrays, names, numbers and references for
 * pyHanko and builds the very objects pyHanko's own parser would. Its Python walk costs a
 * few microseconds a value in calls, regular expressions and slices; a tagged decree's
 * structure tree is 150,000 values (Decree 50/2026: 1.4 s of its 4.5 s). This module is
 * the same walk, step for step (object_reader._Reader is the reference: read it first),
 * over the same bytes, building the same objects with the same constructors (the classes
 * object_reader hands to configure()), so nothing but the time changes:
 *
 *   - every decision is _Reader's: the same bytes end a name, a number, a reference; the
 *     same cases are "unsure" (a comment, an escape, a duplicate key, the end of the data,
 *     nesting deeper than MAX_DEPTH, anything not certain to be pyHanko's reading);
 *   - strings and a stream's payload go back to Python (object_reader._callback), which
 *     calls the same pyHanko functions _Reader does;
 *   - unsure, or any Exception on the way (a constructor refusing "1,5", a callback's
 *     error), returns None: the caller then runs _Reader itself, which ends in pyHanko's
 *     own read_object, so errors and their messages stay pyHanko's. Only a BaseException
 *     that is not an Exception (KeyboardInterrupt) propagates, as in Python.
 *
 * Every index is checked against the buffer's size before it is read; the recursion is
 * bounded by MAX_DEPTH. tests/pdf/test_object_reader.py compares this walk, _Reader's and
 * pyHanko's on the objects of the committed and shared PDFs and on generated hostile input.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* The classes and the callback object_reader.configure_native() passes (owned here). */
static PyObject *NameObject, *NumberObject, *FloatObject, *IndirectObject, *ArrayObject,
    *DictionaryObject, *BooleanObject, *NullObject, *Callback;
static PyObject *s_container_ref, *s_get_pdf_handler;
static int max_depth = -1;

enum { STRING = 0, HEX_STRING = 1, PAYLOAD = 2 }; /* what the callback is asked for */

typedef struct {
    const unsigned char *b;
    Py_ssize_t size;
    PyObject *stream;  /* borrowed */
    PyObject *ref;     /* borrowed: the container reference of every value */
    PyObject *handler; /* owned once asked for (ref.get_pdf_handler()) */
    int unsure;        /* set with a NULL return and no Python error */
} reader;

/* _WHITESPACE: [ \n\r\t\f\x00] (no \v) */
static inline int is_ws(unsigned char c) {
    return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 || c == 0x0c || c == 0x00;
}
/* _REFERENCE's whitespace: [ \t\n\r\f] (no \x00, no \v) */
static inline int is_ref_ws(unsigned char c) {
    return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0c;
}
/* \s of a bytes pattern (pyHanko's INDIRECT_PATTERN): [ \t\n\r\f\v] */
static inline int is_space(unsigned char c) { return is_ref_ws(c) || c == 0x0b; }
static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int is_letter(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
/* _PLAIN_NAME: [^\x00-\x20\x7f-\xff()<>\[\]{}/%#] */
static inline int is_name_char(unsigned char c) {
    return c > 0x20 && c < 0x7f && !strchr("()<>[]{}/%#", c);
}
/* _NAME_END: " \n\r\t\f\x00()<>[]{}/%" */
static inline int is_name_end(unsigned char c) {
    return c == 0x00 || (c != 0x0b && is_space(c)) || strchr("()<>[]{}/%", c) != NULL;
}
/* _NUMBER: [+,\-.0-9]; a token of _NUMBERS starts with [+\-.0-9] */
static inline int is_number_char(unsigned char c) {
    return is_digit(c) || c == '+' || c == ',' || c == '-' || c == '.';
}
static inline int is_number_start(unsigned char c) {
    return is_digit(c) || c == '+' || c == '-' || c == '.';
}

static PyObject *unsure(reader *r) {
    r->unsure = 1;
    return NULL;
}

static PyObject *value(reader *r, Py_ssize_t p, int depth, Py_ssize_t *end);

/* _Reader.skip */
static int skip(reader *r, Py_ssize_t p, Py_ssize_t *out) {
    while (p < r->size && is_ws(r->b[p])) {
        p++;
    }
    if (p >= r->size || r->b[p] == '%') {
        r->unsure = 1;
        return -1;
    }
    *out = p;
    return 0;
}

static PyObject *ascii(reader *r, Py_ssize_t start, Py_ssize_t stop) {
    return PyUnicode_DecodeASCII((const char *)r->b + start, stop - start, NULL);
}

static PyObject *call1(PyObject *type, PyObject *arg) {
    if (arg == NULL) {
        return NULL;
    }
    PyObject *result = PyObject_CallOneArg(type, arg);
    Py_DECREF(arg);
    return result;
}

/* _Reader.name: "/" and the plain name bytes (r->b[p] is the '/') */
static PyObject *name(reader *r, Py_ssize_t p, Py_ssize_t *end) {
    Py_ssize_t q = p + 1;
    while (q < r->size && is_name_char(r->b[q])) {
        q++;
    }
    if (q >= r->size || !is_name_end(r->b[q])) {
        return unsure(r);
    }
    *end = q;
    return call1(NameObject, ascii(r, p, q));
}

/* A number token's object: FloatObject when it holds a point, else NumberObject. */
static PyObject *number_token(reader *r, Py_ssize_t start, Py_ssize_t stop) {
    int point = memchr(r->b + start, '.', (size_t)(stop - start)) != NULL;
    return call1(point ? FloatObject : NumberObject, ascii(r, start, stop));
}

/* _Reader.number */
static PyObject *number(reader *r, Py_ssize_t p, Py_ssize_t *end) {
    Py_ssize_t q = p;
    while (q < r->size && is_number_char(r->b[q])) {
        q++;
    }
    if (q >= r->size) {
        return unsure(r);
    }
    *end = q;
    return number_token(r, p, q);
}

/* pyHanko's INDIRECT_PATTERN (\d+\s+\d+\s+R[^a-zA-Z]) matched on b[p:p+20]. */
static int lenient_reference(reader *r, Py_ssize_t p) {
    Py_ssize_t limit = p + 20 < r->size ? p + 20 : r->size;
    Py_ssize_t i = p;
    for (int part = 0; part < 2; part++) {
        Py_ssize_t digits = i;
        while (i < limit && is_digit(r->b[i])) {
            i++;
        }
        Py_ssize_t spaces = i;
        while (i < limit && is_space(r->b[i])) {
            i++;
        }
        if (spaces == digits || i == spaces) {
            return 0; /* no digits, or no whitespace after them */
        }
    }
    return i + 1 < limit && r->b[i] == 'R' && !is_letter(r->b[i + 1]);
}

static PyObject *integer(reader *r, Py_ssize_t start, Py_ssize_t stop) {
    char digits[32];
    if (stop - start >= (Py_ssize_t)sizeof(digits)) {
        return unsure(r); /* cannot happen: a reference ends within 20 bytes */
    }
    memcpy(digits, r->b + start, (size_t)(stop - start));
    digits[stop - start] = 0;
    return PyLong_FromString(digits, NULL, 10);
}

/* _Reader.number_or_reference */
static PyObject *number_or_reference(reader *r, Py_ssize_t p, Py_ssize_t *end) {
    /* _REFERENCE: ([0-9]+)[ \t\n\r\f]+([0-9]+)[ \t\n\r\f]+R */
    Py_ssize_t i = p, g1_end, g2_start, g2_end;
    int matched = 0;
    while (i < r->size && is_digit(r->b[i])) {
        i++;
    }
    g1_end = i;
    if (g1_end > p) {
        while (i < r->size && is_ref_ws(r->b[i])) {
            i++;
        }
        g2_start = i;
        if (g2_start > g1_end) {
            while (i < r->size && is_digit(r->b[i])) {
                i++;
            }
            g2_end = i;
            if (g2_end > g2_start) {
                while (i < r->size && is_ref_ws(r->b[i])) {
                    i++;
                }
                if (i > g2_end && i < r->size && r->b[i] == 'R') {
                    matched = 1;
                    i++;
                }
            }
        }
    }
    if (!matched) {
        if (lenient_reference(r, p)) {
            return unsure(r);
        }
        return number(r, p, end);
    }
    if (i >= p + 20 || i >= r->size || is_letter(r->b[i])) {
        return number(r, p, end);
    }
    Py_ssize_t nonzero = p;
    while (nonzero < g1_end && r->b[nonzero] == '0') {
        nonzero++;
    }
    if (nonzero == g1_end) {
        return unsure(r); /* object number 0: int(...) <= 0 */
    }
    PyObject *idnum = integer(r, p, g1_end);
    if (idnum == NULL) {
        return NULL;
    }
    PyObject *generation = integer(r, g2_start, g2_end);
    if (generation == NULL) {
        Py_DECREF(idnum);
        return NULL;
    }
    if (r->handler == NULL) {
        r->handler = PyObject_CallMethodNoArgs(r->ref, s_get_pdf_handler);
        if (r->handler == NULL) {
            Py_DECREF(idnum);
            Py_DECREF(generation);
            return NULL;
        }
    }
    PyObject *result = PyObject_CallFunctionObjArgs(IndirectObject, idnum, generation,
                                                    r->handler, NULL);
    Py_DECREF(idnum);
    Py_DECREF(generation);
    *end = i;
    return result;
}

/* The callback: (value, end) for a string, (stream, end) or None for a payload. */
static PyObject *callback(reader *r, int kind, Py_ssize_t p, PyObject *data, Py_ssize_t *end) {
    PyObject *result = PyObject_CallFunction(Callback, "OOinO", r->stream, r->ref, kind, p,
                                             data ? data : Py_None);
    if (result == NULL || result == Py_None) {
        return result;
    }
    PyObject *found = NULL;
    if (PyTuple_Check(result) && PyTuple_GET_SIZE(result) == 2) {
        Py_ssize_t at = PyLong_AsSsize_t(PyTuple_GET_ITEM(result, 1));
        if (!(at == -1 && PyErr_Occurred())) {
            found = PyTuple_GET_ITEM(result, 0);
            Py_INCREF(found);
            *end = at;
        }
    } else {
        PyErr_SetString(PyExc_TypeError, "object_reader callback: not (value, end)");
    }
    Py_DECREF(result);
    return found;
}

/* _Reader.array, with its one-match form for an array of numbers alone (_NUMBERS). */
static PyObject *array(reader *r, Py_ssize_t p, int depth, Py_ssize_t *end) {
    if (depth >= max_depth) {
        return unsure(r);
    }
    /* First pass: is it '[' ws* (token (ws+ token)*)? ws* ']'? */
    Py_ssize_t q = p + 1, tokens = 0, close = -1;
    while (q < r->size && is_ws(r->b[q])) {
        q++;
    }
    for (;;) {
        if (q < r->size && r->b[q] == ']') {
            close = q;
            break;
        }
        if (q >= r->size || !is_number_start(r->b[q])) {
            break;
        }
        q++;
        while (q < r->size && is_number_char(r->b[q])) {
            q++;
        }
        tokens++;
        Py_ssize_t gap = q;
        while (q < r->size && is_ws(r->b[q])) {
            q++;
        }
        if (q < r->size && r->b[q] == ']') {
            close = q;
            break;
        }
        if (q == gap) {
            break; /* a token must be followed by whitespace or the ']' */
        }
    }
    if (close >= 0) {
        PyObject *items = PyList_New(tokens);
        if (items == NULL) {
            return NULL;
        }
        Py_ssize_t k = 0;
        q = p + 1;
        while (k < tokens) { /* the tokens the first pass found, all before close */
            while (q < close && is_ws(r->b[q])) {
                q++;
            }
            Py_ssize_t start = q;
            q++;
            while (q < close && is_number_char(r->b[q])) {
                q++;
            }
            PyObject *item = number_token(r, start, q);
            if (item == NULL || PyObject_SetAttr(item, s_container_ref, r->ref) < 0) {
                Py_XDECREF(item);
                Py_DECREF(items);
                return NULL;
            }
            PyList_SET_ITEM(items, k, item);
            k++;
        }
        *end = close + 1;
        return call1(ArrayObject, items);
    }
    PyObject *items = PyList_New(0);
    if (items == NULL) {
        return NULL;
    }
    if (skip(r, p + 1, &q) < 0) {
        Py_DECREF(items);
        return NULL;
    }
    while (r->b[q] != ']') {
        PyObject *item = value(r, q, depth + 1, &q);
        if (item == NULL) {
            Py_DECREF(items);
            return NULL;
        }
        int failed = PyList_Append(items, item);
        Py_DECREF(item);
        if (failed < 0 || skip(r, q, &q) < 0) {
            Py_DECREF(items);
            return NULL;
        }
    }
    *end = q + 1;
    return call1(ArrayObject, items);
}

/* _Reader.dictionary: a dictionary, or a stream when its payload follows. */
static PyObject *dictionary(reader *r, Py_ssize_t p, int depth, Py_ssize_t *end) {
    if (depth >= max_depth) {
        return unsure(r);
    }
    PyObject *data = PyDict_New();
    if (data == NULL) {
        return NULL;
    }
    if (skip(r, p + 2, &p) < 0) {
        goto fail;
    }
    while (r->b[p] != '>') {
        if (r->b[p] != '/') {
            unsure(r);
            goto fail;
        }
        PyObject *key = name(r, p, &p);
        if (key == NULL) {
            goto fail;
        }
        PyObject *item = NULL;
        if (skip(r, p, &p) == 0) {
            item = value(r, p, depth + 1, &p);
        }
        if (item == NULL) {
            Py_DECREF(key);
            goto fail;
        }
        int present = PyDict_Contains(data, key);
        int failed = present != 0 || PyDict_SetItem(data, key, item) < 0;
        Py_DECREF(key);
        Py_DECREF(item);
        if (present == 1) {
            unsure(r);
            goto fail;
        }
        if (failed || skip(r, p, &p) < 0) {
            goto fail;
        }
    }
    if (p + 1 >= r->size || r->b[p + 1] != '>') {
        unsure(r);
        goto fail;
    }
    p += 2;
    Py_ssize_t following = p;
    while (following < r->size && is_ws(r->b[following])) {
        following++;
    }
    if (following < r->size && (r->b[following] == 's' || r->b[following] == '%')) {
        PyObject *stream = callback(r, PAYLOAD, p, data, end);
        if (stream == NULL) {
            goto fail;
        }
        if (stream != Py_None) {
            Py_DECREF(data);
            return stream;
        }
        Py_DECREF(stream);
    }
    *end = p;
    return call1(DictionaryObject, data);
fail:
    Py_DECREF(data);
    return NULL;
}

/* _Reader.keyword: true, false or null, whatever follows (pyHanko reads 4 or 5 bytes). */
static PyObject *keyword(reader *r, Py_ssize_t p, Py_ssize_t *end) {
    Py_ssize_t left = r->size - p;
    if (left >= 4 && memcmp(r->b + p, "null", 4) == 0) {
        *end = p + 4;
        return PyObject_CallNoArgs(NullObject);
    }
    if (left >= 4 && memcmp(r->b + p, "true", 4) == 0) {
        *end = p + 4;
        return PyObject_CallOneArg(BooleanObject, Py_True);
    }
    if (left >= 5 && memcmp(r->b + p, "false", 5) == 0) {
        *end = p + 5;
        return PyObject_CallOneArg(BooleanObject, Py_False);
    }
    return unsure(r);
}

/* _Reader.value: the object starting at p (no whitespace before it), its container_ref set. */
static PyObject *value(reader *r, Py_ssize_t p, int depth, Py_ssize_t *end) {
    if (p >= r->size) {
        return unsure(r);
    }
    unsigned char c = r->b[p];
    PyObject *result;
    if (c == '/') {
        result = name(r, p, end);
    } else if (c == '<') {
        if (p + 1 < r->size && r->b[p + 1] == '<') {
            result = dictionary(r, p, depth, end);
        } else {
            result = callback(r, HEX_STRING, p, NULL, end);
        }
    } else if (c == '[') {
        result = array(r, p, depth, end);
    } else if (is_digit(c)) {
        result = number_or_reference(r, p, end);
    } else if (c == '+' || c == '-' || c == '.') {
        result = number(r, p, end);
    } else if (c == '(') {
        result = callback(r, STRING, p, NULL, end);
    } else if (c == 't' || c == 'f' || c == 'n') {
        result = keyword(r, p, end);
    } else {
        return unsure(r); /* a comment, or a byte pyHanko refuses */
    }
    if (result != NULL && PyObject_SetAttr(result, s_container_ref, r->ref) < 0) {
        Py_CLEAR(result);
    }
    return result;
}

static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *classes[8], *cb;
    int depth;
    (void)module;
    if (!PyArg_ParseTuple(args, "(OOOOOOOO)Oi:configure", &classes[0], &classes[1],
                          &classes[2], &classes[3], &classes[4], &classes[5], &classes[6],
                          &classes[7], &cb, &depth)) {
        return NULL;
    }
    PyObject **slots[8] = {&NameObject, &NumberObject, &FloatObject, &IndirectObject,
                           &ArrayObject, &DictionaryObject, &BooleanObject, &NullObject};
    for (int i = 0; i < 8; i++) {
        Py_INCREF(classes[i]);
        Py_XSETREF(*slots[i], classes[i]);
    }
    Py_INCREF(cb);
    Py_XSETREF(Callback, cb);
    max_depth = depth;
    Py_RETURN_NONE;
}

/* read(data, start, stream, container_ref) -> (value, end) | None */
static PyObject *read_object(PyObject *module, PyObject *args) {
    PyObject *data, *stream, *ref;
    Py_ssize_t start;
    (void)module;
    if (!PyArg_ParseTuple(args, "OnOO:read", &data, &start, &stream, &ref)) {
        return NULL;
    }
    if (Callback == NULL || max_depth < 0) {
        PyErr_SetString(PyExc_RuntimeError, "_objscan.configure() was not called");
        return NULL;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    reader r = {(const unsigned char *)view.buf, view.len, stream, ref, NULL, 0};
    Py_ssize_t end = start;
    PyObject *found = start >= 0 ? value(&r, start, 0, &end) : unsure(&r);
    Py_XDECREF(r.handler);
    PyBuffer_Release(&view);
    if (found == NULL) {
        if (PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_Exception)) {
                return NULL; /* KeyboardInterrupt and the like: not ours to swallow */
            }
            PyErr_Clear();
        }
        Py_RETURN_NONE; /* unsure, or an error: object_reader's Python walk decides */
    }
    PyObject *result = Py_BuildValue("(Nn)", found, end);
    return result;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure((NameObject, NumberObject, FloatObject, IndirectObject, ArrayObject, "
     "DictionaryObject, BooleanObject, NullObject), callback, max_depth)"},
    {"read", read_object, METH_VARARGS,
     "read(data, start, stream, container_ref) -> (value, end), or None when unsure"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_objscan",
    "vnsign.pdf.object_reader's object walk in C (see the source's header).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__objscan(void) {
    s_container_ref = PyUnicode_InternFromString("container_ref");
    s_get_pdf_handler = PyUnicode_InternFromString("get_pdf_handler");
    if (s_container_ref == NULL || s_get_pdf_handler == NULL) {
        return NULL;
    }
    return PyModule_Create(&module_def);
}
