// native_blas.c: OpenBLAS's sgemm and im2col convolutions on float32 data that lives in a JavaScript Float32Array,
// read and written in place (no copy). The caller (runtime's native kernels) passes the tfjs wasm backend's heap
// and the element offsets of each tensor in it. Every offset and extent is checked against the array's length, so a
// wrong offset throws a RangeError instead of writing outside the heap.
//
// N-API only (version 8), so one build serves every Node version; context-aware, so worker threads load it too.
// Build: scripts/build-addon.mjs (cc -O2 -shared … -lopenblas -lm).

#define NAPI_VERSION 8
#include <node_api.h>

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// OpenBLAS's entry points, declared here rather than through <cblas.h>: Debian installs that header behind an
// alternatives link that may point to another BLAS, which lacks the openblas_* functions. The enums of CBLAS are
// passed as int (their ABI).
enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };
void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);

// im2col works on blocks of output rows whose patch matrix holds at most this many floats (8 MB): large enough
// that each sgemm has hundreds of rows, small enough that a batch of 256 images never needs its whole patch matrix.
#define CHUNK_FLOATS ((size_t)1 << 21)

// ---------------------------------------------------------------------------------------------------------------
// Argument helpers. Each returns false after throwing a JavaScript error; the caller then returns NULL.

static bool fail(napi_env env, const char *fn, const char *what) {
  char message[256];
  snprintf(message, sizeof message, "native-blas %s: %s", fn, what);
  napi_throw_range_error(env, NULL, message);
  return false;
}

// The call's arguments into argv[0..expected), or false (a RangeError thrown) when their number differs.
static bool arg_list(napi_env env, napi_callback_info info, const char *fn, size_t expected, napi_value *argv) {
  size_t argc = expected;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc == expected) return true;
  char what[64];
  snprintf(what, sizeof what, "expected %zu arguments, got %zu", expected, argc);
  return fail(env, fn, what);
}

static bool arg_heap(napi_env env, const char *fn, napi_value value, float **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed)
    return fail(env, fn, "expected a Float32Array heap, got another value");
  napi_typedarray_type type;
  void *raw = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, NULL, NULL) != napi_ok || type != napi_float32_array)
    return fail(env, fn, "expected a Float32Array heap, got another typed array");
  *data = (float *)raw;
  return true;
}

static bool arg_i32(napi_env env, const char *fn, napi_value value, int32_t *out) {
  if (napi_get_value_int32(env, value, out) != napi_ok) return fail(env, fn, "expected an integer argument");
  return true;
}

static bool arg_f32(napi_env env, const char *fn, napi_value value, float *out) {
  double d = 0;
  if (napi_get_value_double(env, value, &d) != napi_ok) return fail(env, fn, "expected a number argument");
  *out = (float)d;
  return true;
}

static bool arg_bool(napi_env env, const char *fn, napi_value value, bool *out) {
  if (napi_get_value_bool(env, value, out) != napi_ok) return fail(env, fn, "expected a boolean argument");
  return true;
}

static bool arg_ints(napi_env env, const char *fn, napi_value value, const int32_t **data, size_t *length) {
  bool is_typed = false;
  napi_typedarray_type type;
  void *raw = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, length, &raw, NULL, NULL) != napi_ok || type != napi_int32_array)
    return fail(env, fn, "expected an Int32Array argument");
  *data = (const int32_t *)raw;
  return true;
}

// [offset, offset + extent) inside a heap of `length` floats (an empty range anywhere in [0, length]).
static bool in_heap(napi_env env, const char *fn, const char *name, int64_t offset, int64_t extent, size_t length) {
  if (offset >= 0 && extent >= 0 && offset + extent <= (int64_t)length) return true;
  char what[200];
  snprintf(what, sizeof what, "expected %s [%lld, %lld) inside the heap of %zu floats, got a range outside it", name,
           (long long)offset, (long long)(offset + extent), length);
  return fail(env, fn, what);
}

static bool positive_dims(napi_env env, const char *fn, const int32_t *dims, int count) {
  for (int i = 0; i < count; i++)
    if (dims[i] < 0) return fail(env, fn, "expected non-negative sizes, got a negative one");
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// gemmBatch(heap, offsets, m, n, k, transA, transB): for each i, C_i = op(A_i)·op(B_i), where offsets holds
// (a, b, c) element offsets per product; A_i is m×k (k×m when transA), B_i is k×n (n×k when transB), C_i is m×n,
// all dense row-major. With k = 0 each C_i is 0.

static napi_value gemm_batch(napi_env env, napi_callback_info info) {
  const char *fn = "gemmBatch";
  napi_value argv[7];
  if (!arg_list(env, info, fn, 7, argv)) return NULL;
  float *heap;
  size_t length, count;
  const int32_t *offsets;
  int32_t dims[3];
  bool trans_a, trans_b;
  if (!arg_heap(env, fn, argv[0], &heap, &length) || !arg_ints(env, fn, argv[1], &offsets, &count) ||
      !arg_i32(env, fn, argv[2], &dims[0]) || !arg_i32(env, fn, argv[3], &dims[1]) ||
      !arg_i32(env, fn, argv[4], &dims[2]) || !arg_bool(env, fn, argv[5], &trans_a) ||
      !arg_bool(env, fn, argv[6], &trans_b) || !positive_dims(env, fn, dims, 3))
    return NULL;
  if (count % 3 != 0) {
    fail(env, fn, "expected 3 offsets (a, b, c) per product");
    return NULL;
  }
  const int m = dims[0], n = dims[1], k = dims[2];
  const int64_t size_a = (int64_t)m * k, size_b = (int64_t)k * n, size_c = (int64_t)m * n;
  for (size_t i = 0; i < count; i += 3) {
    if (!in_heap(env, fn, "A", offsets[i], size_a, length) || !in_heap(env, fn, "B", offsets[i + 1], size_b, length) ||
        !in_heap(env, fn, "C", offsets[i + 2], size_c, length))
      return NULL;
  }
  if (m == 0 || n == 0) return NULL;
  // lda/ldb must be ≥ 1 even for empty operands, or OpenBLAS reports a parameter error.
  const int lda = trans_a ? m : (k > 0 ? k : 1);
  const int ldb = trans_b ? (k > 0 ? k : 1) : n;
  for (size_t i = 0; i < count; i += 3) {
    float *c = heap + offsets[i + 2];
    if (k == 0) {
      memset(c, 0, (size_t)size_c * sizeof(float));
      continue;
    }
    cblas_sgemm(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n,
                k, 1.0f, heap + offsets[i], lda, heap + offsets[i + 1], ldb, 0.0f, c, n);
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// biasActivation(heap, offset, count, n, biasOffset, biasSize, activation, alpha, preluOffset, preluSize): in place
// on `count` values seen as rows of n: v ← act(v + bias[j]), j the column (bias and PReLU weights hold n values, or 1
// that every column shares; offset −1: none). Activation codes are tfjs-backend-wasm's FusableActivation:
// 0 linear, 1 relu, 2 relu6, 3 prelu, 4 leakyrelu (slope alpha), 5 sigmoid, 6 elu.

enum { ACT_LINEAR, ACT_RELU, ACT_RELU6, ACT_PRELU, ACT_LEAKYRELU, ACT_SIGMOID, ACT_ELU, ACT_COUNT };

static napi_value bias_activation(napi_env env, napi_callback_info info) {
  const char *fn = "biasActivation";
  napi_value argv[10];
  if (!arg_list(env, info, fn, 10, argv)) return NULL;
  float *heap;
  size_t length;
  int32_t offset, count, n, bias_offset, bias_size, activation, prelu_offset, prelu_size;
  float alpha = 0;
  if (!arg_heap(env, fn, argv[0], &heap, &length) || !arg_i32(env, fn, argv[1], &offset) ||
      !arg_i32(env, fn, argv[2], &count) || !arg_i32(env, fn, argv[3], &n) ||
      !arg_i32(env, fn, argv[4], &bias_offset) || !arg_i32(env, fn, argv[5], &bias_size) ||
      !arg_i32(env, fn, argv[6], &activation) || !arg_f32(env, fn, argv[7], &alpha) ||
      !arg_i32(env, fn, argv[8], &prelu_offset) || !arg_i32(env, fn, argv[9], &prelu_size))
    return NULL;
  if (count < 0 || n < 1 || count % n != 0) {
    fail(env, fn, "expected count to be a multiple of n ≥ 1");
    return NULL;
  }
  if (activation < 0 || activation >= ACT_COUNT) {
    fail(env, fn, "expected an activation code in [0, 6]");
    return NULL;
  }
  if (!in_heap(env, fn, "the output", offset, count, length)) return NULL;
  const bool has_bias = bias_offset >= 0, has_prelu = activation == ACT_PRELU;
  if (has_bias && bias_size != 1 && bias_size != n) {
    fail(env, fn, "expected 1 or n bias values");
    return NULL;
  }
  if (has_bias && !in_heap(env, fn, "the bias", bias_offset, bias_size, length)) return NULL;
  if (has_prelu && prelu_size != 1 && prelu_size != n) {
    fail(env, fn, "expected 1 or n PReLU weights");
    return NULL;
  }
  if (has_prelu && !in_heap(env, fn, "the PReLU weights", prelu_offset, prelu_size, length)) return NULL;
  float *out = heap + offset;
  const float *bias = has_bias ? heap + bias_offset : NULL;
  const float *slopes = has_prelu ? heap + prelu_offset : NULL;
  const int rows = n > 0 ? count / n : 0;
  for (int r = 0; r < rows; r++) {
    float *row = out + (size_t)r * n;
    for (int j = 0; j < n; j++) {
      float v = row[j];
      if (bias) v += bias[bias_size == 1 ? 0 : j];
      switch (activation) {
        case ACT_RELU: v = v > 0.0f ? v : 0.0f; break;
        case ACT_RELU6: v = v > 0.0f ? (v < 6.0f ? v : 6.0f) : 0.0f; break;
        case ACT_PRELU: v = v < 0.0f ? slopes[prelu_size == 1 ? 0 : j] * v : v; break;
        case ACT_LEAKYRELU: v = v < 0.0f ? alpha * v : v; break;
        case ACT_SIGMOID: v = 1.0f / (1.0f + expf(-v)); break;
        case ACT_ELU: v = v < 0.0f ? expm1f(v) : v; break;
        default: break;
      }
      row[j] = v;
    }
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// Convolutions, NHWC input [B, H, W, C], filter [KH, KW, C, O], output [B, OH, OW, O]. `geometry` is an Int32Array:

enum {
  G_BATCH, G_IN_H, G_IN_W, G_IN_C, G_OUT_H, G_OUT_W, G_OUT_C, G_KH, G_KW,
  G_STRIDE_H, G_STRIDE_W, G_DILATION_H, G_DILATION_W, G_PAD_TOP, G_PAD_LEFT, G_COUNT
};

typedef struct {
  int batch, in_h, in_w, in_c, out_h, out_w, out_c, kh, kw, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
  int64_t rows;    // B·OH·OW: one row per output pixel
  int64_t cols;    // KH·KW·C: one column per filter tap and input channel
  int64_t x_size;  // B·H·W·C
} conv_t;

static bool arg_conv(napi_env env, const char *fn, napi_value value, conv_t *g) {
  const int32_t *v;
  size_t count;
  if (!arg_ints(env, fn, value, &v, &count)) return false;
  if (count != G_COUNT) return fail(env, fn, "expected a geometry of 15 integers");
  if (!positive_dims(env, fn, v, G_PAD_TOP)) return false;
  if (v[G_STRIDE_H] < 1 || v[G_STRIDE_W] < 1 || v[G_DILATION_H] < 1 || v[G_DILATION_W] < 1)
    return fail(env, fn, "expected strides and dilations ≥ 1");
  *g = (conv_t){v[G_BATCH], v[G_IN_H], v[G_IN_W], v[G_IN_C], v[G_OUT_H], v[G_OUT_W], v[G_OUT_C], v[G_KH], v[G_KW],
                v[G_STRIDE_H], v[G_STRIDE_W], v[G_DILATION_H], v[G_DILATION_W], v[G_PAD_TOP], v[G_PAD_LEFT],
                0, 0, 0};
  g->rows = (int64_t)g->batch * g->out_h * g->out_w;
  g->cols = (int64_t)g->kh * g->kw * g->in_c;
  g->x_size = (int64_t)g->batch * g->in_h * g->in_w * g->in_c;
  if (g->rows > INT32_MAX || g->cols > INT32_MAX) return fail(env, fn, "expected fewer than 2^31 rows and columns");
  return true;
}

// A 1×1 filter with stride 1 and no padding: the input already is the patch matrix (one row per pixel).
static bool is_pointwise(const conv_t *g) {
  return g->kh == 1 && g->kw == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 && g->pad_left == 0 &&
         g->out_h == g->in_h && g->out_w == g->in_w;
}

static int64_t chunk_rows(const conv_t *g) {
  int64_t rows = (int64_t)(CHUNK_FLOATS / (size_t)(g->cols > 0 ? g->cols : 1));
  if (rows < 1) rows = 1;
  return rows < g->rows ? rows : g->rows;
}

// Patch rows [r0, r0 + count) of x into `cols` (count × KH·KW·C, row-major); taps outside the input read 0.
static void im2col(const conv_t *g, const float *x, int64_t r0, int64_t count, float *cols) {
  const int64_t pixels = (int64_t)g->out_h * g->out_w;
  const size_t c_bytes = (size_t)g->in_c * sizeof(float);
  for (int64_t r = r0; r < r0 + count; r++) {
    const int b = (int)(r / pixels), oy = (int)(r % pixels / g->out_w), ox = (int)(r % g->out_w);
    float *dst = cols + (r - r0) * g->cols;
    for (int ky = 0; ky < g->kh; ky++) {
      const int iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
      for (int kx = 0; kx < g->kw; kx++, dst += g->in_c) {
        const int ix = ox * g->stride_w - g->pad_left + kx * g->dil_w;
        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) memset(dst, 0, c_bytes);
        else memcpy(dst, x + (((int64_t)b * g->in_h + iy) * g->in_w + ix) * g->in_c, c_bytes);
      }
    }
  }
}

// The adjoint of im2col: adds patch rows [r0, r0 + count) back into dx at the pixels they were read from.
static void col2im_add(const conv_t *g, const float *cols, int64_t r0, int64_t count, float *dx) {
  const int64_t pixels = (int64_t)g->out_h * g->out_w;
  for (int64_t r = r0; r < r0 + count; r++) {
    const int b = (int)(r / pixels), oy = (int)(r % pixels / g->out_w), ox = (int)(r % g->out_w);
    const float *src = cols + (r - r0) * g->cols;
    for (int ky = 0; ky < g->kh; ky++) {
      const int iy = oy * g->stride_h - g->pad_top + ky * g->dil_h;
      for (int kx = 0; kx < g->kw; kx++, src += g->in_c) {
        const int ix = ox * g->stride_w - g->pad_left + kx * g->dil_w;
        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
        float *d = dx + (((int64_t)b * g->in_h + iy) * g->in_w + ix) * g->in_c;
        for (int c = 0; c < g->in_c; c++) d[c] += src[c];
      }
    }
  }
}

// Reads (heap, three offsets, geometry) and checks the three tensors' extents.
static bool conv_args(napi_env env, napi_callback_info info, const char *fn, const char *names[3], float **heap,
                      float *ptrs[3], conv_t *g, int64_t sizes_of(const conv_t *, int)) {
  napi_value argv[5];
  if (!arg_list(env, info, fn, 5, argv)) return false;
  size_t length;
  int32_t offsets[3];
  if (!arg_heap(env, fn, argv[0], heap, &length) || !arg_i32(env, fn, argv[1], &offsets[0]) ||
      !arg_i32(env, fn, argv[2], &offsets[1]) || !arg_i32(env, fn, argv[3], &offsets[2]) ||
      !arg_conv(env, fn, argv[4], g))
    return false;
  for (int i = 0; i < 3; i++) {
    if (!in_heap(env, fn, names[i], offsets[i], sizes_of(g, i), length)) return false;
    ptrs[i] = *heap + offsets[i];
  }
  return true;
}

static int64_t x_size(const conv_t *g) { return g->x_size; }
static int64_t filter_size(const conv_t *g) { return g->cols * g->out_c; }
static int64_t y_size(const conv_t *g) { return g->rows * g->out_c; }

// (x, filter, y)
static int64_t forward_sizes(const conv_t *g, int i) { return i == 0 ? x_size(g) : i == 1 ? filter_size(g) : y_size(g); }
// (dy, filter, dx)
static int64_t input_grad_sizes(const conv_t *g, int i) {
  return i == 0 ? y_size(g) : i == 1 ? filter_size(g) : x_size(g);
}
// (x, dy, dw)
static int64_t filter_grad_sizes(const conv_t *g, int i) {
  return i == 0 ? x_size(g) : i == 1 ? y_size(g) : filter_size(g);
}

static float *scratch(napi_env env, const char *fn, const conv_t *g, int64_t rows) {
  float *p = malloc((size_t)rows * (size_t)g->cols * sizeof(float));
  if (!p) fail(env, fn, "could not allocate the im2col buffer");
  return p;
}

// conv2d(heap, x, filter, y, geometry): y = im2col(x) · filter.
static napi_value conv2d(napi_env env, napi_callback_info info) {
  const char *fn = "conv2d";
  const char *names[3] = {"x", "the filter", "y"};
  float *heap, *p[3];
  conv_t g;
  if (!conv_args(env, info, fn, names, &heap, p, &g, forward_sizes)) return NULL;
  const float *x = p[0], *filter = p[1];
  float *y = p[2];
  if (g.rows == 0 || g.out_c == 0) return NULL;
  if (g.cols == 0) {
    memset(y, 0, (size_t)y_size(&g) * sizeof(float));
    return NULL;
  }
  if (is_pointwise(&g)) {
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int)g.rows, g.out_c, (int)g.cols, 1.0f, x,
                (int)g.cols, filter, g.out_c, 0.0f, y, g.out_c);
    return NULL;
  }
  const int64_t block = chunk_rows(&g);
  float *cols = scratch(env, fn, &g, block);
  if (!cols) return NULL;
  for (int64_t r0 = 0; r0 < g.rows; r0 += block) {
    const int64_t count = r0 + block <= g.rows ? block : g.rows - r0;
    im2col(&g, x, r0, count, cols);
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int)count, g.out_c, (int)g.cols, 1.0f, cols,
                (int)g.cols, filter, g.out_c, 0.0f, y + r0 * g.out_c, g.out_c);
  }
  free(cols);
  return NULL;
}

// conv2dBackpropInput(heap, dy, filter, dx, geometry): dx = col2im(dy · filterᵀ).
static napi_value conv2d_backprop_input(napi_env env, napi_callback_info info) {
  const char *fn = "conv2dBackpropInput";
  const char *names[3] = {"dy", "the filter", "dx"};
  float *heap, *p[3];
  conv_t g;
  if (!conv_args(env, info, fn, names, &heap, p, &g, input_grad_sizes)) return NULL;
  const float *dy = p[0], *filter = p[1];
  float *dx = p[2];
  if (g.x_size == 0) return NULL;
  if (g.rows == 0 || g.out_c == 0 || g.cols == 0) {
    memset(dx, 0, (size_t)g.x_size * sizeof(float));
    return NULL;
  }
  if (is_pointwise(&g)) {
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_TRANS, (int)g.rows, (int)g.cols, g.out_c, 1.0f, dy, g.out_c,
                filter, g.out_c, 0.0f, dx, (int)g.cols);
    return NULL;
  }
  const int64_t block = chunk_rows(&g);
  float *cols = scratch(env, fn, &g, block);
  if (!cols) return NULL;
  memset(dx, 0, (size_t)g.x_size * sizeof(float));
  for (int64_t r0 = 0; r0 < g.rows; r0 += block) {
    const int64_t count = r0 + block <= g.rows ? block : g.rows - r0;
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_TRANS, (int)count, (int)g.cols, g.out_c, 1.0f,
                dy + r0 * g.out_c, g.out_c, filter, g.out_c, 0.0f, cols, (int)g.cols);
    col2im_add(&g, cols, r0, count, dx);
  }
  free(cols);
  return NULL;
}

// conv2dBackpropFilter(heap, x, dy, dw, geometry): dw = Σ over row blocks of im2col(x)ᵀ · dy.
static napi_value conv2d_backprop_filter(napi_env env, napi_callback_info info) {
  const char *fn = "conv2dBackpropFilter";
  const char *names[3] = {"x", "dy", "dw"};
  float *heap, *p[3];
  conv_t g;
  if (!conv_args(env, info, fn, names, &heap, p, &g, filter_grad_sizes)) return NULL;
  const float *x = p[0], *dy = p[1];
  float *dw = p[2];
  if (g.cols == 0 || g.out_c == 0) return NULL;
  if (g.rows == 0) {
    memset(dw, 0, (size_t)filter_size(&g) * sizeof(float));
    return NULL;
  }
  if (is_pointwise(&g)) {
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_TRANS, CBLAS_NO_TRANS, (int)g.cols, g.out_c, (int)g.rows, 1.0f, x, (int)g.cols,
                dy, g.out_c, 0.0f, dw, g.out_c);
    return NULL;
  }
  const int64_t block = chunk_rows(&g);
  float *cols = scratch(env, fn, &g, block);
  if (!cols) return NULL;
  for (int64_t r0 = 0; r0 < g.rows; r0 += block) {
    const int64_t count = r0 + block <= g.rows ? block : g.rows - r0;
    im2col(&g, x, r0, count, cols);
    cblas_sgemm(CBLAS_ROW_MAJOR, CBLAS_TRANS, CBLAS_NO_TRANS, (int)g.cols, g.out_c, (int)count, 1.0f, cols,
                (int)g.cols, dy + r0 * g.out_c, g.out_c, r0 == 0 ? 0.0f : 1.0f, dw, g.out_c);
  }
  free(cols);
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// maxPoolGrad(heap, x, dy, dx, geometry): the gradient of a max pool with respect to its input, NHWC, with tfjs-core's
// semantics (tfjs-backend-cpu's maxPoolPositions + maxPoolGrad): each window's gradient dy goes to the FIRST element
// of the window, in row-major scan order, that is strictly greater than everything before it (starting from −∞), so
// on ties the first one wins, NaNs never win, and a window of only −∞/NaN passes no gradient. Taps in the padding are
// skipped. An element that is the max of several windows gets the sum of their dy, added in double in the order of
// those windows (row-major), then rounded once to float32: tfjs-cpu's arithmetic. The geometry is a convolution's
// (conv_t) with outChannels = inChannels; the filter is ignored. Stock wasm's kernel (4.22) differs: it keeps the
// LAST max and starts from FLT_MIN, so a window whose values are all below FLT_MIN (all negative, say) passes its
// gradient to x[0] or nowhere.
//
// One image at a time: its argmax scan, then a scatter of dy into a double accumulator of one image (H·W·C values,
// 200 KB for 28×28×32, in cache), then the rounding into dx.

static napi_value max_pool_grad(napi_env env, napi_callback_info info) {
  const char *fn = "maxPoolGrad";
  napi_value argv[5];
  if (!arg_list(env, info, fn, 5, argv)) return NULL;
  float *heap;
  size_t length;
  int32_t offsets[3];
  conv_t g;
  if (!arg_heap(env, fn, argv[0], &heap, &length) || !arg_i32(env, fn, argv[1], &offsets[0]) ||
      !arg_i32(env, fn, argv[2], &offsets[1]) || !arg_i32(env, fn, argv[3], &offsets[2]) ||
      !arg_conv(env, fn, argv[4], &g))
    return NULL;
  if (g.out_c != g.in_c) {
    fail(env, fn, "expected as many output channels as input channels");
    return NULL;
  }
  if (!in_heap(env, fn, "x", offsets[0], g.x_size, length) || !in_heap(env, fn, "dy", offsets[1], y_size(&g), length) ||
      !in_heap(env, fn, "dx", offsets[2], g.x_size, length))
    return NULL;
  const float *x = heap + offsets[0], *dy = heap + offsets[1];
  float *dx = heap + offsets[2];
  const int channels = g.in_c;
  const int64_t image = (int64_t)g.in_h * g.in_w * channels, pixels_out = (int64_t)g.out_h * g.out_w;
  if (g.x_size == 0) return NULL;
  // Per image: the accumulator; per output pixel: each channel's running max and the input pixel it sits at.
  double *acc = malloc((size_t)image * sizeof(double));
  float *best = malloc((size_t)channels * sizeof(float));
  int32_t *at = malloc((size_t)channels * sizeof(int32_t));
  if (!acc || !best || !at) {
    free(acc);
    free(best);
    free(at);
    fail(env, fn, "could not allocate the accumulator");
    return NULL;
  }
  for (int b = 0; b < g.batch; b++) {
    const float *xb = x + (int64_t)b * image;
    const float *dyb = dy + (int64_t)b * pixels_out * channels;
    memset(acc, 0, (size_t)image * sizeof(double));
    for (int oy = 0; oy < g.out_h; oy++) {
      const int corner_y = oy * g.stride_h - g.pad_top;
      for (int ox = 0; ox < g.out_w; ox++) {
        const int corner_x = ox * g.stride_w - g.pad_left;
        for (int c = 0; c < channels; c++) {
          best[c] = -INFINITY;
          at[c] = -1;
        }
        for (int ky = 0; ky < g.kh; ky++) {
          const int iy = corner_y + ky * g.dil_h;
          if (iy < 0 || iy >= g.in_h) continue;
          for (int kx = 0; kx < g.kw; kx++) {
            const int ix = corner_x + kx * g.dil_w;
            if (ix < 0 || ix >= g.in_w) continue;
            const int32_t pixel = iy * g.in_w + ix;
            const float *v = xb + (int64_t)pixel * channels;
            for (int c = 0; c < channels; c++) {
              if (v[c] > best[c]) {
                best[c] = v[c];
                at[c] = pixel;
              }
            }
          }
        }
        const float *d = dyb + ((int64_t)oy * g.out_w + ox) * channels;
        for (int c = 0; c < channels; c++)
          if (at[c] >= 0) acc[(int64_t)at[c] * channels + c] += (double)d[c];
      }
    }
    float *dxb = dx + (int64_t)b * image;
    for (int64_t i = 0; i < image; i++) dxb[i] = (float)acc[i];
  }
  free(acc);
  free(best);
  free(at);
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// adamUpdate(heap, offsets, count, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, negLearningRate): one Adam
// step of one variable in a single pass. `offsets` (Int32Array) holds, in elements: x, m, v, g (the variable, its
// first and second moments and its gradient, `count` values each), accBeta1, accBeta2 (one value each: β₁ᵗ, β₂ᵗ), and
// where to write x', m', v' (`count` values each; each on its input's own range, in place, or apart from every other
// range). The arithmetic is tfjs 4.22's AdamOptimizer.applyGradients op by op, each step rounded to float32:
//   m' = m·β₁ + g·(1−β₁)              v' = v·β₂ + g²·(1−β₂)
//   x' = ((m'/(1−β₁ᵗ)) / (√(v'/(1−β₂ᵗ)) + ε))·(−lr) + x
// The build passes -ffp-contract=off, so no step is fused into an FMA (which would round once instead of twice and
// drift from tfjs in the last bit). The scalars arrive as doubles and are rounded to float32 here, as tfjs's scalar
// tensors are: (1−β₁) and −lr are computed in double by tfjs before that rounding, so the caller passes them so too.

enum { A_X, A_M, A_V, A_G, A_ACC1, A_ACC2, A_OUT_X, A_OUT_M, A_OUT_V, A_COUNT };

static napi_value adam_update(napi_env env, napi_callback_info info) {
  const char *fn = "adamUpdate";
  napi_value argv[9];
  if (!arg_list(env, info, fn, 9, argv)) return NULL;
  float *heap;
  size_t length, offset_count;
  const int32_t *o;
  int32_t count;
  float beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon, neg_lr;
  if (!arg_heap(env, fn, argv[0], &heap, &length) || !arg_ints(env, fn, argv[1], &o, &offset_count) ||
      !arg_i32(env, fn, argv[2], &count) || !arg_f32(env, fn, argv[3], &beta1) ||
      !arg_f32(env, fn, argv[4], &one_minus_beta1) || !arg_f32(env, fn, argv[5], &beta2) ||
      !arg_f32(env, fn, argv[6], &one_minus_beta2) || !arg_f32(env, fn, argv[7], &epsilon) ||
      !arg_f32(env, fn, argv[8], &neg_lr))
    return NULL;
  if (offset_count != A_COUNT) {
    fail(env, fn, "expected 9 offsets (x, m, v, g, accBeta1, accBeta2, x', m', v')");
    return NULL;
  }
  if (count < 0) {
    fail(env, fn, "expected a non-negative count, got a negative one");
    return NULL;
  }
  static const char *names[A_COUNT] = {"x", "m", "v", "g", "accBeta1", "accBeta2", "x'", "m'", "v'"};
  for (int i = 0; i < A_COUNT; i++) {
    const int64_t extent = i == A_ACC1 || i == A_ACC2 ? 1 : count;
    if (!in_heap(env, fn, names[i], o[i], extent, length)) return NULL;
  }
  // The vectorised loop is right for an output on its own input's range or apart from every array, not for one that
  // overlaps another range partly (it would read values it already wrote).
  for (int out = A_OUT_X; out <= A_OUT_V; out++) {
    for (int other = A_X; other <= A_OUT_V; other++) {
      if (other == out || other == A_ACC1 || other == A_ACC2 || (other == out - A_OUT_X && o[other] == o[out])) continue;
      if (count > 0 && o[out] < o[other] + count && o[other] < o[out] + count) {
        char what[200];
        snprintf(what, sizeof what, "expected %s on its input's range or apart from the others, got it overlapping %s",
                 names[out], names[other]);
        fail(env, fn, what);
        return NULL;
      }
    }
  }
  const float *x = heap + o[A_X], *m = heap + o[A_M], *v = heap + o[A_V], *g = heap + o[A_G];
  float *out_x = heap + o[A_OUT_X], *out_m = heap + o[A_OUT_M], *out_v = heap + o[A_OUT_V];
  // tfjs: sub(1, accBeta1), one float32 subtraction, once per step.
  const float bias1 = 1.0f - heap[o[A_ACC1]], bias2 = 1.0f - heap[o[A_ACC2]];
  // No dependence between iterations, also with an output on its input's own range (each value is read, then
  // written, at the same index): ivdep lets GCC vectorise without a run-time alias check over seven arrays, which it
  // gives up on. Vector divisions and square roots round each lane as the scalar ones do.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC ivdep
#endif
  for (int32_t i = 0; i < count; i++) {
    const float gi = g[i];
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float vi = v[i] * beta2 + (gi * gi) * one_minus_beta2;
    const float step = (mi / bias1) / (sqrtf(vi / bias2) + epsilon);
    const float xi = step * neg_lr + x[i];
    out_m[i] = mi;
    out_v[i] = vi;
    out_x[i] = xi;
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// averageSlots(slots, base, workers, size, out, outOffset): out[outOffset + i] = (Σ_w slots[base + w·size + i]) /
// workers, the data-parallel all-reduce of runtime's SharedGradientAverage, with its JavaScript arithmetic exactly:
// the sum in float32, worker 0 first (every partial sum rounded, as Math.fround rounds it), then one product with the
// double 1/workers, rounded once to float32. `slots` is usually a view of a SharedArrayBuffer, `out` a plain array or
// the wasm heap; the two ranges may not overlap.

static napi_value average_slots(napi_env env, napi_callback_info info) {
  const char *fn = "averageSlots";
  napi_value argv[6];
  if (!arg_list(env, info, fn, 6, argv)) return NULL;
  float *slots, *out;
  size_t slots_length, out_length;
  int32_t base, workers, size, out_offset;
  if (!arg_heap(env, fn, argv[0], &slots, &slots_length) || !arg_i32(env, fn, argv[1], &base) ||
      !arg_i32(env, fn, argv[2], &workers) || !arg_i32(env, fn, argv[3], &size) ||
      !arg_heap(env, fn, argv[4], &out, &out_length) || !arg_i32(env, fn, argv[5], &out_offset))
    return NULL;
  if (workers < 1 || size < 0) {
    fail(env, fn, "expected at least 1 worker and a non-negative size");
    return NULL;
  }
  if (!in_heap(env, fn, "slots", base, (int64_t)workers * size, slots_length) ||
      !in_heap(env, fn, "out", out_offset, size, out_length))
    return NULL;
  const float *in = slots + base;
  float *dst = out + out_offset;
  if (size > 0 && dst < in + (size_t)workers * size && in < dst + size) {
    fail(env, fn, "expected out apart from the slots, got overlapping ranges");
    return NULL;
  }
  if (workers == 1) {
    memcpy(dst, in, (size_t)size * sizeof(float));
  } else if (workers == 2) {
    // One float product rounds the exact (a + b) · 0.5 once, as JavaScript's double product stored to float32 does
    // (exact except for subnormal results, which both round alike): one vectorisable float loop.
    const float *a = in, *b = in + size;
    for (int32_t i = 0; i < size; i++) dst[i] = (a[i] + b[i]) * 0.5f;
  } else {
    const double scale = 1.0 / workers;
    for (int32_t i = 0; i < size; i++) {
      float sum = in[i];
      for (int32_t w = 1; w < workers; w++) sum += in[(size_t)w * size + i];
      dst[i] = (float)((double)sum * scale);
    }
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------------------------
// OpenBLAS's thread count (process-wide: every thread of the process shares it) and build description.

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t threads = 0;
  if (!arg_list(env, info, "setThreads", 1, argv) || !arg_i32(env, "setThreads", argv[0], &threads)) return NULL;
  if (threads < 1) {
    fail(env, "setThreads", "expected at least 1 thread");
    return NULL;
  }
  openblas_set_num_threads(threads);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int32(env, openblas_get_num_threads(), &out);
  return out;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value get_corename(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &out);
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor functions[] = {
      {"gemmBatch", NULL, gemm_batch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"biasActivation", NULL, bias_activation, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropInput", NULL, conv2d_backprop_input, NULL, NULL, NULL, napi_enumerable, NULL},
      {"conv2dBackpropFilter", NULL, conv2d_backprop_filter, NULL, NULL, NULL, napi_enumerable, NULL},
      {"maxPoolGrad", NULL, max_pool_grad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_enumerable, NULL},
      {"averageSlots", NULL, average_slots, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
      {"corename", NULL, get_corename, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
