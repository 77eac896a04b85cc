"""The PyTorch peer of `pnpm bench:perf --peer pytorch`: the bench's workloads written in PyTorch, timed here.

One long-lived process driven by bench.mjs over stdin/stdout, one JSON object per line:

  start                                         -> {"ready": true, "torch": "1.13.1", "python": "3.11.2"}
  {"workload": "W1", "runs": 1, "threads": 1}   -> {"workload": "W1", "threads": 1, "ms": [17.1]}
  {"workload": "matMul", "n": 64, ...}          -> the same, for an n x n x n product (default n = 1024)
  {"pairwise": {"generator": G, "a": A, "b": B}} -> {"pairwise": D}  (G: IcnnConvexFunction.toJSON())
  anything that fails                           -> {"workload": ..., "error": "one line"}

A workload's tensors, model and optimizer are made on its first request and kept, so its steps continue one run
from the next, like the bench's own; the first request is the caller's warm-up. Only the runs are timed (the
reply's "ms"), never the pipe. Every workload mirrors bench:perf's own (bregman-workloads.mjs,
parallel-workloads.mjs): shapes, initial distributions, losses and optimizer; the ICNN and the pairwise Bregman
divergence are written out as in convex-net's IcnnConvexFunction and bregman-core's BregmanDivergence.pairwise,
with the explicit gradient of phi (no double backward). Inputs are seeded, not the same numbers as the bench's.
"""

import json
import math
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any import failure means "no usable torch"
    print(json.dumps({"error": f"cannot import torch: {type(error).__name__}: {error}"}), flush=True)
    sys.exit(1)

# Intra-op threads are set per request; no inter-op pool (the bench's runs are one op stream each).
torch.set_num_interop_threads(1)

SEED = 3


class Icnn:
    """phi(x) = u+ . z_L + w.x + (mu/2)|x|^2 with z_1 = sigma(A0 x + b0), z_{k+1} = sigma(U_k+ z_k + A_k x + b_k),
    U_k+ = softplus(U_k) / h_{k-1}, u+ = softplus(u) / sqrt(h_{L-1}): convex-net's IcnnConvexFunction."""

    def __init__(self, params, hidden_sizes, activation, mu):
        self.params = params
        self.hidden_sizes = list(hidden_sizes)
        self.activation = activation
        self.mu = mu

    @staticmethod
    def initial(dim, hidden_sizes, mu, generator):
        """The bench's W1 head at initialisation: A_k ~ N(0, 1/d), U_k ~ N(0, 0.1), u ~ N(0, 0.1), b and w zero."""
        params = {}
        for k, h in enumerate(hidden_sizes):
            if k > 0:
                params[f"U{k}"] = torch.randn(hidden_sizes[k - 1], h, generator=generator) * 0.1
            params[f"A{k}"] = torch.randn(dim, h, generator=generator) / math.sqrt(dim)
            params[f"b{k}"] = torch.zeros(h)
        params["u"] = torch.randn(hidden_sizes[-1], generator=generator) * 0.1
        params["w"] = torch.zeros(dim)
        for p in params.values():
            p.requires_grad_(True)
        return Icnn(params, hidden_sizes, "softplus", mu)

    @staticmethod
    def from_json(generator_json):
        """An IcnnConvexFunction's toJSON(): {config: {hiddenSizes, activation, mu}, weights: {name: {shape, values}}}."""
        config = generator_json["config"]
        params = {
            name: torch.tensor(weight["values"], dtype=torch.float32).reshape(weight["shape"])
            for name, weight in generator_json["weights"].items()
        }
        return Icnn(params, config["hiddenSizes"], config.get("activation", "softplus"), config.get("mu", 0.1))

    def trainable(self):
        return list(self.params.values())

    def value_and_grad(self, x):
        """phi(x) per row and its gradient, the gradient by the hand-written backward pass of IcnnConvexFunction:
        delta_{L-1} = u+ * sigma'(a_{L-1}), delta_{k-1} = (delta_k U_k+^T) * sigma'(a_{k-1}),
        grad = sum_k delta_k A_k^T + w + mu x."""
        p = self.params
        sigma = F.softplus if self.activation == "softplus" else F.relu
        d_sigma = torch.sigmoid if self.activation == "softplus" else (lambda a: (a > 0).to(a.dtype))
        layers = len(self.hidden_sizes)
        pre, u_plus, z = [], [None] * layers, None
        for k in range(layers):
            a = x @ p[f"A{k}"] + p[f"b{k}"]
            if k > 0:
                u_plus[k] = F.softplus(p[f"U{k}"]) / self.hidden_sizes[k - 1]
                a = a + z @ u_plus[k]
            pre.append(a)
            z = sigma(a)
        out = F.softplus(p["u"]) / math.sqrt(self.hidden_sizes[-1])
        value = (z * out).sum(1) + (x * p["w"]).sum(1) + 0.5 * self.mu * (x * x).sum(1)
        delta = out * d_sigma(pre[-1])
        grad = self.mu * x + p["w"]
        for k in range(layers - 1, -1, -1):
            grad = grad + delta @ p[f"A{k}"].t()
            if k > 0:
                delta = (delta @ u_plus[k].t()) * d_sigma(pre[k - 1])
        return value, grad


def bregman_pairwise(phi, a, b):
    """D[i, j] = D_phi(a_i, b_j) = phi(a_i) - phi(b_j) - <grad phi(b_j), a_i> + <grad phi(b_j), b_j>, clamped at 0:
    bregman-core's BregmanDivergence.pairwise (phi and its gradient once per row, one matMul)."""
    value_b, grad_b = phi.value_and_grad(b)
    value_a = value_b if a is b else phi.value_and_grad(a)[0]
    d = value_a[:, None] - value_b[None, :] - a @ grad_b.t() + (b * grad_b).sum(1)[None, :]
    return torch.clamp(d, min=0)


def squared_euclidean_pairwise(a, b):
    """|a_i|^2 + |b_j|^2 - 2 <a_i, b_j>, clamped at 0: bregman-core's SquaredEuclideanDivergence.pairwise."""
    norms_a = (a * a).sum(1)
    norms_b = norms_a if a is b else (b * b).sum(1)
    return torch.clamp(norms_a[:, None] + norms_b[None, :] - 2 * (a @ b.t()), min=0)


def contrastive(d, same):
    """Positives D, negatives relu(1 - D), mean over all pairs (the bench's W1 and W4 loss)."""
    return (same * d + (1 - same) * F.relu(1 - d)).mean()


def same_label(batch):
    labels = torch.arange(batch) % 16
    return (labels[:, None] == labels[None, :]).float()


def w1_head(generator):
    return Icnn.initial(128, [256, 256], 0.1, generator)


def adam(params):
    # tf.train.adam(1e-3): beta 0.9 / 0.999, epsilon 1e-7 (tfjs's float32 epsilon).
    return torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)


def training_step(params, loss_of):
    optimizer = adam(params)

    def run():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        optimizer.step()
        loss.item()  # the bench reads the loss back (dataSync) every step

    return run


def mlp_trunk(generator):
    """784 -> 512 (ReLU) -> 128, weights N(0, 0.05), bias on the hidden layer only."""
    w1 = (torch.randn(784, 512, generator=generator) * 0.05).requires_grad_(True)
    b1 = torch.zeros(512, requires_grad=True)
    w2 = (torch.randn(512, 128, generator=generator) * 0.05).requires_grad_(True)
    return [w1, b1, w2], lambda x: F.relu(x @ w1 + b1) @ w2


def make_w1(head):
    """W1: batch 256 of 784-d inputs through the MLP trunk, pairwise D over the batch, contrastive, Adam 1e-3 on the
    trunk and phi together. `head` "icnn" is W1, "euclidean" W1-trunk (squared Euclidean, nothing to train)."""
    generator = torch.Generator().manual_seed(SEED)
    x = torch.randn(256, 784, generator=generator)
    same = same_label(256)
    trunk_params, trunk = mlp_trunk(generator)
    if head == "icnn":
        phi = w1_head(generator)
        params = trunk_params + phi.trainable()

        def loss():
            e = trunk(x)
            return contrastive(bregman_pairwise(phi, e, e), same)
    else:
        params = trunk_params

        def loss():
            e = trunk(x)
            return contrastive(squared_euclidean_pairwise(e, e), same)

    return training_step(params, loss)


def make_w1_two_replicas():
    """W1 as bench:perf's 2 data-parallel workers do it: two batches of 256, each its own pairwise D and contrastive
    loss, gradients averaged (= the gradient of the mean of the two losses), one Adam step; here in one process on
    the request's threads. One step trains 2 x 256 samples, as one step of the 2 workers does."""
    generator = torch.Generator().manual_seed(SEED)
    x = torch.randn(2 * 256, 784, generator=generator)
    same = same_label(256)
    trunk_params, trunk = mlp_trunk(generator)
    phi = w1_head(generator)

    def loss():
        e = trunk(x)  # both replicas' trunks in one product: the same multiply-adds
        halves = [e[:256], e[256:]]
        return sum(contrastive(bregman_pairwise(phi, h, h), same) for h in halves) / 2

    return training_step(trunk_params + phi.trainable(), loss)


def make_w2():
    """W2: D = pairwise(Q, R) for Q, R of 1024 x 128, then the gradient of sum(D) for Q, R and phi's weights."""
    generator = torch.Generator().manual_seed(SEED)
    phi = w1_head(generator)
    q = torch.randn(1024, 128, generator=generator).requires_grad_(True)
    r = torch.randn(1024, 128, generator=generator).requires_grad_(True)
    inputs = [q, r] + phi.trainable()

    def run():
        value = bregman_pairwise(phi, q, r).sum()
        torch.autograd.grad(value, inputs)
        value.item()

    return run


def make_w4():
    """W4: 28x28x1 -> conv32 3x3 same -> ReLU -> pool 2 -> conv64 3x3 same -> ReLU -> pool 2 -> dense 128 (no bias,
    as the bench), the W1 ICNN head, batch 128, contrastive, Adam. NCHW, PyTorch's native layout (the bench: NHWC)."""
    generator = torch.Generator().manual_seed(SEED)
    x = torch.randn(128, 1, 28, 28, generator=generator)
    same = same_label(128)
    k1 = (torch.randn(32, 1, 3, 3, generator=generator) * 0.3).requires_grad_(True)
    k2 = (torch.randn(64, 32, 3, 3, generator=generator) * 0.05).requires_grad_(True)
    w = (torch.randn(7 * 7 * 64, 128, generator=generator) * 0.02).requires_grad_(True)
    phi = w1_head(generator)

    def loss():
        h = F.max_pool2d(F.relu(F.conv2d(x, k1, padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, k2, padding=1)), 2)
        e = h.reshape(128, 7 * 7 * 64) @ w
        return contrastive(bregman_pairwise(phi, e, e), same)

    return training_step([k1, k2, w] + phi.trainable(), loss)


def exact_top_k(phi, queries, references, k, query_block=1024, reference_block=4096):
    """The k references of smallest D(q, r) per query (query left), nearest first, as search's exactKnn finds them:
    phi and its gradient per row in chunks of `reference_block`, rows reduced to (d + 2)-dimensional vectors so that
    a block of D is one matMul (D = phi(q) + c_r - <q, grad phi(r)> with c_r = <grad phi(r), r> - phi(r)), blocks of
    `query_block` queries x `reference_block` references, a running top-k per query. (exactKnn also snaps values
    within float32 round-off of 0 to exactly 0; with the W3 head and inputs there are none.) Returns the indices."""

    def reduced(rows, side):
        parts = []
        for start in range(0, rows.shape[0], reference_block):
            x = rows[start : start + reference_block]
            value, grad = phi.value_and_grad(x)
            ones = torch.ones(x.shape[0], 1)
            if side == "query":
                parts.append(torch.cat([x, value[:, None], ones], 1))
            else:
                parts.append(torch.cat([-grad, ones, ((grad * x).sum(1) - value)[:, None]], 1))
        return torch.cat(parts, 0)

    with torch.no_grad():
        q = reduced(queries, "query")
        r = reduced(references, "reference")
        found = []
        for start in range(0, q.shape[0], query_block):
            block = q[start : start + query_block]
            best_values = torch.full((block.shape[0], k), math.inf)
            best_indices = torch.zeros((block.shape[0], k), dtype=torch.long)
            for r_start in range(0, r.shape[0], reference_block):
                d = block @ r[r_start : r_start + reference_block].t()
                values, indices = torch.topk(d, min(k, d.shape[1]), dim=1, largest=False, sorted=False)
                merged = torch.cat([best_values, values], 1)
                merged_indices = torch.cat([best_indices, indices + r_start], 1)
                best_values, order = torch.topk(merged, k, dim=1, largest=False, sorted=True)
                best_indices = torch.gather(merged_indices, 1, order)
            found.append(best_indices)
        return torch.cat(found, 0)


def make_w3():
    """W3: the 10 nearest of 60,000 references (d = 128, the W1 head, query left) for each of 10,000 queries."""
    generator = torch.Generator().manual_seed(SEED)
    phi = w1_head(generator)
    queries = torch.randn(10_000, 128, generator=generator)
    references = torch.randn(60_000, 128, generator=generator)
    return lambda: exact_top_k(phi, queries, references, 10)


def make_matmul(n):
    """A plain n x n by n x n product (no gradient)."""
    generator = torch.Generator().manual_seed(SEED)
    a = torch.randn(n, n, generator=generator)
    b = torch.randn(n, n, generator=generator)
    return lambda: torch.mm(a, b)


WORKLOADS = {
    "W1": lambda request: make_w1("icnn"),
    "W1-trunk": lambda request: make_w1("euclidean"),
    "W1-2replicas": lambda request: make_w1_two_replicas(),
    "W2": lambda request: make_w2(),
    "W4": lambda request: make_w4(),
    "W3": lambda request: make_w3(),
    "matMul": lambda request: make_matmul(positive_int(request, "n", 1024)),
}


def positive_int(request, key, default):
    value = request.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"expected {key} to be a positive integer, got {json.dumps(value)}")
    return value


def timed(request, made):
    name = request.get("workload")
    if name not in WORKLOADS:
        raise ValueError(f"expected workload {', '.join(WORKLOADS)}, got {json.dumps(name)}")
    runs = positive_int(request, "runs", 1)
    threads = positive_int(request, "threads", 1)
    torch.set_num_threads(threads)
    key = json.dumps([name, request.get("n")])
    if key not in made:
        made[key] = WORKLOADS[name](request)
    run = made[key]
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        run()
        ms.append((time.perf_counter_ns() - t0) / 1e6)
    return {"workload": name, "threads": threads, "ms": ms}


def pairwise(request):
    """D of bregman_pairwise for given rows and ICNN weights: the check that the peer computes what the bench does."""
    phi = Icnn.from_json(request["generator"])
    a = torch.tensor(request["a"], dtype=torch.float32)
    b = torch.tensor(request["b"], dtype=torch.float32)
    with torch.no_grad():
        return {"pairwise": bregman_pairwise(phi, a, b).tolist()}


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "python": sys.version.split()[0]}), flush=True)
    made = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        request = {}
        try:
            request = json.loads(line)
            reply = pairwise(request["pairwise"]) if "pairwise" in request else timed(request, made)
        except Exception as error:  # noqa: BLE001 - every failure goes back to the bench as one line
            reply = {"error": f"{type(error).__name__}: {error}".splitlines()[0]}
            if isinstance(request, dict) and "workload" in request:
                reply["workload"] = request["workload"]
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
