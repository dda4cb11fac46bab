/* analysis._columns: per-type objects spread to tokens (C, NumPy C API).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   take(values, codes) -> numpy object array
 *       values  a list or a 1-d numpy object array (the per-type values: a
 *               type's normalized string, its bare form, ...);
 *       codes   a 1-d numpy int64 array of indices into values;
 *       returns out with out[i] = values[codes[i]] (None where a slot of a
 *       numpy values array is NULL), exactly numpy's values[codes] for an
 *       object array, but in one pass that prefetches the objects whose
 *       reference counts it is about to increment: the text stage spreads
 *       seven per-type columns to every token, and with ~100k types the
 *       objects are scattered over tens of megabytes, so numpy's take spent
 *       most of its ~20 ns per token waiting for memory (measured: 0.46 s ->
 *       0.24 s for five columns of the 50 MB benchmark corpus).
 *       Raises IndexError if a code is out of range (nothing is returned).
 *
 *   paint(target, starts, ends, values) -> None
 *       target[starts[k]:ends[k]] = values[k] for k = 0, 1, 2 ... in order (a
 *       later span overwrites an earlier one where they overlap), all int64
 *       arrays, target writable, each span inside it (IndexError otherwise,
 *       before anything is written): the innermost quote of each token when
 *       quotes nest, without a Python step per quote.
 *
 *   char_positions(text, ch) -> numpy int64 array
 *       The positions of the one-character string ch in text, in order: the
 *       line breaks of a batch, which sentences and quote pairing both need
 *       (a regular expression's match objects cost ~0.3 ms per batch).
 *
 *   substrings(text, starts, ends) -> numpy object array
 *       out[i] = text[starts[i]:ends[i]] for int64 arrays starts and ends of
 *       equal length, each span inside the text (0 <= start <= end <= len):
 *       the sentence and quote texts of the tables, without a Python step per
 *       span. Raises IndexError for a span outside the text.
 *
 * Runs with the GIL held throughout (it increments reference counts).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_21_API_VERSION
#include <numpy/arrayobject.h>
#include <stdint.h>

#define PREFETCH_DISTANCE 16
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH_FOR_WRITE(p) __builtin_prefetch((p), 1, 3)
#else
#define PREFETCH_FOR_WRITE(p) ((void)(p))
#endif

/* obj as a contiguous 1-d int64 array (data, length), or -1 with TypeError
 * naming it ("take(): codes"). */
static int
int64_vector(PyObject *obj, const char *name, const int64_t **data, npy_intp *n)
{
    if (!PyArray_Check(obj) || PyArray_NDIM((PyArrayObject *)obj) != 1 ||
        PyArray_TYPE((PyArrayObject *)obj) != NPY_INT64 ||
        !PyArray_IS_C_CONTIGUOUS((PyArrayObject *)obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous 1-d int64 array", name);
        return -1;
    }
    *data = (const int64_t *)PyArray_DATA((PyArrayObject *)obj);
    *n = PyArray_DIM((PyArrayObject *)obj, 0);
    return 0;
}

/* 0 if every span [starts[i], ends[i]) lies inside [0, size]; else -1 with an
 * IndexError naming the first span outside ("substrings(): span 3 (2, 9) is
 * outside the text (7 characters)"). */
static int
spans_inside(const int64_t *starts, const int64_t *ends, npy_intp n, Py_ssize_t size,
             const char *function, const char *what, const char *unit)
{
    for (npy_intp i = 0; i < n; i++) {
        if (starts[i] < 0 || starts[i] > ends[i] || ends[i] > size) {
            PyErr_Format(PyExc_IndexError, "%s: span %zd (%lld, %lld) is outside %s (%zd %s)",
                         function, (Py_ssize_t)i, (long long)starts[i], (long long)ends[i], what,
                         size, unit);
            return -1;
        }
    }
    return 0;
}

static PyObject *
take(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *values, *codes_obj;
    if (!PyArg_ParseTuple(args, "OO:take", &values, &codes_obj))
        return NULL;
    const int64_t *c;
    npy_intp n;
    if (int64_vector(codes_obj, "take(): codes", &c, &n) < 0)
        return NULL;
    PyObject **src;
    Py_ssize_t m;
    if (PyList_CheckExact(values)) {
        src = ((PyListObject *)values)->ob_item;
        m = PyList_GET_SIZE(values);
    }
    else if (PyArray_Check(values) && PyArray_NDIM((PyArrayObject *)values) == 1 &&
             PyArray_TYPE((PyArrayObject *)values) == NPY_OBJECT &&
             PyArray_IS_C_CONTIGUOUS((PyArrayObject *)values)) {
        src = (PyObject **)PyArray_DATA((PyArrayObject *)values);
        m = PyArray_DIM((PyArrayObject *)values, 0);
    }
    else {
        PyErr_SetString(PyExc_TypeError,
                        "take(): values must be a list or a contiguous 1-d object array");
        return NULL;
    }
    for (npy_intp i = 0; i < n; i++) {
        if (c[i] < 0 || c[i] >= m) {
            PyErr_Format(PyExc_IndexError, "take(): code %lld at %zd is out of range (%zd values)",
                         (long long)c[i], (Py_ssize_t)i, m);
            return NULL;
        }
    }
    /* A new object array is zero-filled (NULL); every slot is set below. */
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, &n, NPY_OBJECT);
    if (out == NULL)
        return NULL;
    PyObject **dst = (PyObject **)PyArray_DATA(out);
    /* Nothing below runs Python code, so the list cannot change under us. */
    for (npy_intp i = 0; i < n; i++) {
        if (i + PREFETCH_DISTANCE < n) {
            PyObject *ahead = src[c[i + PREFETCH_DISTANCE]];
            if (ahead != NULL)
                PREFETCH_FOR_WRITE(ahead);
        }
        PyObject *o = src[c[i]];
        if (o == NULL)
            o = Py_None;
        Py_INCREF(o);
        dst[i] = o;
    }
    return (PyObject *)out;
}

static PyObject *
substrings(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *starts_obj, *ends_obj;
    if (!PyArg_ParseTuple(args, "UOO:substrings", &text, &starts_obj, &ends_obj))
        return NULL;
    const int64_t *starts, *ends;
    npy_intp n, n_ends;
    if (int64_vector(starts_obj, "substrings(): starts", &starts, &n) < 0 ||
        int64_vector(ends_obj, "substrings(): ends", &ends, &n_ends) < 0)
        return NULL;
    if (n != n_ends) {
        PyErr_SetString(PyExc_ValueError, "substrings(): starts and ends differ in length");
        return NULL;
    }
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    if (spans_inside(starts, ends, n, size, "substrings()", "the text", "characters") < 0)
        return NULL;
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, &n, NPY_OBJECT);
    if (out == NULL)
        return NULL;
    PyObject **dst = (PyObject **)PyArray_DATA(out);
    for (npy_intp i = 0; i < n; i++) {
        PyObject *piece = PyUnicode_Substring(text, (Py_ssize_t)starts[i], (Py_ssize_t)ends[i]);
        if (piece == NULL) {
            Py_DECREF(out); /* the slots not yet set are NULL: numpy skips them */
            return NULL;
        }
        dst[i] = piece;
    }
    return (PyObject *)out;
}

static PyObject *
paint(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *target_obj, *starts_obj, *ends_obj, *values_obj;
    if (!PyArg_ParseTuple(args, "OOOO:paint", &target_obj, &starts_obj, &ends_obj, &values_obj))
        return NULL;
    const int64_t *starts, *ends, *values, *unused;
    npy_intp n_target, n, n_ends, n_values;
    if (int64_vector(target_obj, "paint(): target", &unused, &n_target) < 0 ||
        int64_vector(starts_obj, "paint(): starts", &starts, &n) < 0 ||
        int64_vector(ends_obj, "paint(): ends", &ends, &n_ends) < 0 ||
        int64_vector(values_obj, "paint(): values", &values, &n_values) < 0)
        return NULL;
    if (!PyArray_ISWRITEABLE((PyArrayObject *)target_obj)) {
        PyErr_SetString(PyExc_ValueError, "paint(): target is read-only");
        return NULL;
    }
    if (n != n_ends || n != n_values) {
        PyErr_SetString(PyExc_ValueError, "paint(): starts, ends and values differ in length");
        return NULL;
    }
    if (spans_inside(starts, ends, n, n_target, "paint()", "the target", "items") < 0)
        return NULL;
    int64_t *target = (int64_t *)PyArray_DATA((PyArrayObject *)target_obj);
    for (npy_intp k = 0; k < n; k++)
        for (int64_t i = starts[k]; i < ends[k]; i++)
            target[i] = values[k];
    Py_RETURN_NONE;
}

static PyObject *
char_positions(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text;
    int ch;
    if (!PyArg_ParseTuple(args, "UC:char_positions", &text, &ch))
        return NULL;
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    npy_intp count = 0;
    /* One loop per string kind, so that each compiles to a plain (vectorised)
     * comparison of fixed-width units. */
#define COUNT(TYPE)                                                \
    do {                                                           \
        const TYPE *p = (const TYPE *)data;                        \
        if ((Py_UCS4)ch > (Py_UCS4)(TYPE)~(TYPE)0)                 \
            break; /* wider than this kind: never in the text */   \
        TYPE c = (TYPE)ch;                                         \
        for (Py_ssize_t i = 0; i < size; i++)                      \
            count += p[i] == c;                                    \
    } while (0)
#define FILL(TYPE)                                                 \
    do {                                                           \
        const TYPE *p = (const TYPE *)data;                        \
        TYPE c = (TYPE)ch;                                         \
        for (Py_ssize_t i = 0, k = 0; k < count; i++)              \
            if (p[i] == c)                                         \
                dst[k++] = i;                                      \
    } while (0)
    if (kind == PyUnicode_1BYTE_KIND)
        COUNT(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        COUNT(Py_UCS2);
    else
        COUNT(Py_UCS4);
    PyArrayObject *out = (PyArrayObject *)PyArray_SimpleNew(1, &count, NPY_INT64);
    if (out == NULL)
        return NULL;
    int64_t *dst = (int64_t *)PyArray_DATA(out);
    if (count > 0) {
        if (kind == PyUnicode_1BYTE_KIND)
            FILL(Py_UCS1);
        else if (kind == PyUnicode_2BYTE_KIND)
            FILL(Py_UCS2);
        else
            FILL(Py_UCS4);
    }
#undef COUNT
#undef FILL
    return (PyObject *)out;
}

static PyMethodDef methods[] = {
    {"char_positions", char_positions, METH_VARARGS,
     "char_positions(text, ch) -> int64 array of the positions of character ch in text."},
    {"paint", paint, METH_VARARGS,
     "paint(target, starts, ends, values): target[starts[k]:ends[k]] = values[k], k in order."},
    {"substrings", substrings, METH_VARARGS,
     "substrings(text, starts, ends) -> object array of text[starts[i]:ends[i]]."},
    {"take", take, METH_VARARGS,
     "take(values, codes) -> object array: values[codes], values a list or object array."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "analysis._columns",
    .m_doc = "Per-type objects spread to tokens (see analysis.columns).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__columns(void)
{
    import_array();
    return PyModule_Create(&module_def);
}
