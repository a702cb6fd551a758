"""Real, well-known PyTorch programs (tests/programs/, written as their authors wrote them, with small
sizes through their own flags or constants and synthetic data in place of downloads) run unchanged
under ``python -m pyfront run`` and print what real torch prints, numbers within a tolerance.

The torch run goes through tests/programs/_torch_same_rng.py: real torch throughout, with its random
numbers drawn from pyfront's Philox stream (pyfront's generator is by design not torch's mt19937), so
a seeded program sees the same weights and batches in both runs. Each run is a subprocess.

``python tests/test_programs.py NAME [--cuda-as webgpu]`` runs one program both ways and shows the diff.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = Path(__file__).resolve().parent / "programs"

# A program that stops on an API pyfront lacks: name -> the missing API (the lead removes entries as the
# branches that add them merge).
KNOWN: dict[str, str] = {}

_WLM = ["--data", "word_language_model/data", "--emsize", "16", "--nhid", "16", "--epochs", "2",
        "--batch_size", "4", "--bptt", "8", "--log-interval", "5", "--dropout", "0"]
_NANOGPT = ["--device=cpu", "--compile=False", "--eval_iters=2", "--eval_interval=3", "--batch_size=4",
            "--block_size=16", "--n_layer=2", "--n_head=2", "--n_embd=32", "--max_iters=4",
            "--gradient_accumulation_steps=2", "--warmup_iters=2", "--lr_decay_iters=4",
            "--learning_rate=1e-2"]
# name -> {args, env, rtol (1e-4), atol (1e-6)}; together about a minute on this 2-core machine
QUICK: dict[str, dict] = {
    "polynomial_custom_function": {},
    "polynomial_nn": {},
    "micrograd_test_engine": {},
    "makemore_bigram": {},
    "actor_critic": {"env": {"CARTPOLE_REWARD_THRESHOLD": "30"}},
    "reinforce": {"env": {"CARTPOLE_REWARD_THRESHOLD": "30"}},
    "nanogpt/train": {"args": _NANOGPT},
    "mnist": {"args": ["--epochs", "1", "--n-train", "96", "--batch-size", "32", "--log-interval", "1"]},
    "time_sequence_prediction": {"args": ["--steps", "1", "--length", "30"]},
    "word_language_model/main": {"args": [*_WLM, "--model", "LSTM"]},
    "text_classification": {},
    # s19-scripts2's user-style programs (each file's header says which kind of script it imitates)
    "transformer_lm": {},
    "gcn_sparse": {},
    "autoencoder_compile": {},
    "finetune_misc": {},
    "func_transforms": {},  # s20-func: torch.func per-sample gradients, ensembles, NTK, hvp
    # s28-user: pytorch/tutorials intermediate_source/autograd_saved_tensors_hooks_tutorial
    "saved_tensors_hooks": {},
    # s31-user: pytorch/tutorials beginner_source/introyt/tensors_deeper_tutorial, code as written
    "tensors_deeper": {},
    # s32-user: MultiheadAttention, the Transformer layers and sdpa with every mask kind users pass
    "mha_masks": {},
    # s33-user (tests/test_user_programs_s33.py tests the faults they found): an environment report
    # (torch.backends.*, __config__) and a profiled loop; bfloat16 autocast on the cpu, its state
    # functions, GradScaler("cpu") and custom_fwd(cast_inputs=)
    "env_profile": {},
    "bf16_autocast_cpu": {},
    # s34-user (tests/test_user_programs_s34.py tests the faults they found): a torch 0.4-era script (addmm
    # and friends with beta first, add_(-lr, grad), has_cuda); pytorch-summary's hooks and a frozen backbone
    "legacy_04_training": {},
    "model_summary_hooks": {},
    # s35-user (tests/test_user_programs_s35.py tests the faults they found): SAM, Lion and Lookahead
    # subclassing Optimizer; MAML's inner steps by autograd.grad over dict(...).values()
    "custom_optimizers": {},
    "maml_sine": {},
    # s35-user2 (tests/test_user_programs_s35b.py tests the faults they found): absmax/zero-point/LLM.int8
    # quantization, a straight-through QAT linear, LSQ, torch's fake quantizers and their gradients
    "quantization_by_hand": {},
    # s36-user2 (tests/test_user_programs_s36b.py tests the faults they found): quantiles with every
    # interpolation, histograms, bucketize/searchsorted, unique; scatter_reduce/index_reduce with every
    # reduce, PageRank by torch.sparse.mm, Bellman-Ford and label propagation (also --cuda-as webgpu)
    "data_statistics": {},
    "graph_algorithms": {},
    # s36-user (tests/test_user_programs_s36.py tests the faults they found): param groups, add_param_group,
    # ChainedScheduler, get_total_norm + clip_grads_with_norm_; the rarer losses (nll_loss's target checks and
    # its sum in torch's order); both also --cuda-as webgpu
    "param_groups_schedulers": {},
    "losses_more": {},
    # s36-torchfn: the "Extending torch" notes' ScalarTensor / LoggingTensor / MetadataTensor (overrides.py)
    "torch_function_subclass": {},
    # s36-user3 (tests/test_user_programs_s36c.py tests the faults they found): a CRNN + CTC recogniser
    # (ctc_loss's every reduction, padded and concatenated targets, impossible and empty inputs, its
    # refusals); Swin's shifted windows and ConvNeXt's block with drop_path; both also --cuda-as webgpu
    "crnn_ctc": {"rtol": 1e-3},
    "swin_convnext": {},
}
# the slower ones (or ones whose long runs amplify float32 rounding), run by hand:
# python tests/test_programs.py NAME
SLOW: dict[str, dict] = {
    "seq2seq_attention": {},
    "dataloader_sampler": {},  # two worker processes started per run: ~17 s on 2 cores
    "tabular_trainer": {},  # worker processes per evaluation: ~16 s
    "contrastive_ctc": {},  # ~10 s
    # float16 autocast: torch's cpu kernels round float16 products in another order (float32 autocast,
    # i.e. off, prints the same to 1e-4)
    "resnet_amp_resume": {"rtol": 1e-2, "atol": 1e-3},
    "polynomial_tensor": {},
    "polynomial_module": {},
    "polynomial_autograd": {},
    "polynomial_optim": {},  # RMSprop steps near-zero coefficients by +-lr on the sign of rounding noise
    "dynamic_net": {},
    "regression": {},  # x^4 features at lr 0.1: equal to 1e-4 for 250 batches, then rounding grows
    "vae": {"args": ["--epochs", "1", "--n-train", "256"]},
    "nn_tutorial": {},
    # three double-precision gradchecks: pyfront's gradcheck runs one backward per output element
    # (~2600 here), 25 of its ~35 seconds
    "fused_conv_bn": {"args": ["--n-train", "16", "--n-test", "8"]},
    # karpathy/minGPT's chargpt project (model.py, trainer.py, utils.py); its 500-character sample at
    # iteration 0 is most of the time
    "mingpt/chargpt": {"args": ["--system.work_dir='/tmp/mingpt_chargpt'", "--model.model_type=None",
                                "--model.n_layer=2", "--model.n_head=2", "--model.n_embd=32",
                                "--data.block_size=16", "--trainer.batch_size=8", "--trainer.max_iters=21",
                                "--trainer.num_workers=0"]},
    # session 24's (tests/test_scripts_s24.py runs gat and llama); each ~10 s under torch here
    "mass_spring": {},  # pytorch/examples differentiable_physics
    "translation": {},  # pytorch/examples language_translation; also: python translation.py webgpu
    "forward_forward": {},  # pytorch/examples mnist_forward_forward
    "style_superres": {},  # pytorch/examples fast_neural_style + super_resolution
    "ddpm_ddim": {},  # B-LED-LUE/DDPM_DDIM_MNIST-study
    # session 28's pytorch/tutorials scripts (each file's docstring names its source)
    "forward_ad_usage": {},  # imports functorch: ~15 s of torch's imports
    "double_backward": {},
    "nlp_intro": {},
    "nlp_bow": {},
    "bilstm_crf": {},  # ~30 s: per-token Python loops over 0-d tensors
    "models_yt": {},
    "cbow": {"env": {"PYTHONHASHSEED": "0"}},  # pytorch/examples continuous-bag-of-words: a set's order
    # session 30's (tests/test_scripts_s30.py tests the faults they found, each file's header its source)
    "sngan": {},  # christiancosgrove's SpectralNorm (u.data/v.data reassigned) + torch's two spectral norms
    "capsnet": {},  # gram-ai/capsule-networks: dynamic routing, torch.sparse.torch.eye
    "tcn_adding": {},  # locuslab/TCN: weight_norm, clip_grad_norm_
    "pixelcnn": {},  # jzbontar/pixelcnn-pytorch: masked convolutions, multinomial sampling
    "mdn": {},  # tonyduan/mixture-density-network: OneHotCategorical, Normal, MixtureSameFamily
    "ppo_lstm": {},  # seungeunrho/minimalRL ppo-lstm: Categorical, LSTM hidden state
    "skipgram_sparse": {},  # word2vec SkipGramModel: sparse embeddings, SparseAdam
    "autograd_yt": {},  # s31: introyt's autograd chapter; its profiled 1000-step loop is ~3 s of torch's
    # session 31's user-style scripts (tests/test_user_programs_s31.py tests the faults they led to)
    "rnn_checkpoint_resume": {},  # packed bidirectional LSTM, CosineAnnealingWarmRestarts, resume: ~7 s
    "flows_distributions": {},  # RealNVP on moons, TransformedDistribution, kl table, variational regression
    "einsum_seq2seq": {},  # labml's einsum attention vs nn.MultiheadAttention, nn.Transformer reverse-copy
    "knowledge_distillation": {},  # pytorch/tutorials: soft targets at T=2, CosineEmbeddingLoss on features
    # session 31's second round (tests/test_user_programs_s31b.py tests the faults they found); each ~4 s,
    # most of it torch's import
    "user_autograd_function": {},  # mark_dirty, mark_non_differentiable, set_materialize_grads, checkpoint
    "user_print_errors": {},  # tensors of every dtype, printoptions, a model's repr, shape/dtype errors
    "user_checkpoints": {},  # nested save/load, weights_only refusals, safe_globals, state_dict surgery
    "user_hooks_func_amp": {},  # module hooks, bfloat16 autocast + GradScaler, torch.func on a model
    "user_data_pipeline": {},  # samplers, batch_sampler, collate, IterableDataset, random_split, StackDataset
    "user_print_training": {},  # f-strings of tensors, grad_fn names, return types, optimizers' reprs
    "user_schedules_swa": {},  # OneCycleLR, SequentialLR, ReduceLROnPlateau, CyclicLR, swa_utils, rng state
    "user_parametrize": {},  # right_inverse, cached, unsafe, orthogonal maps, spectral/weight norm both ways
    "user_mistakes": {},  # ~120 mistakes new users make, and torch's error for each
    "user_autograd_mistakes": {},  # autograd's errors and warnings, captured and printed
    "user_tensor_tricks": {},  # scatter_reduce, searchsorted, unique, fold, grid_sample, sdpa masks
    "user_module_api": {},  # tied weights, extra state, state_dict hooks, containers' edits
    "user_jit_compile": {},  # jit.script/trace and torch.compile run eagerly (no jit.save: no archive)
    # session 32's (tests/test_user_programs_s32.py tests the faults they found; each file's header its source)
    "lora_finetune": {},  # Raschka's LinearWithLoRA and the parametrize LoRA: ~7 s of torch's run
    "beam_search": {},  # pytorch/tutorials' seq2seq GRU + Bahdanau attention, batched beam search
    "gru_packed_classifier": {},  # collate_fn, bucketing batch sampler, WeightedRandomSampler, packed GRU
    "neural_ode_rk4": {},  # torchdiffeq's ode_demo with a hand-written RK4, a CNF step, gradcheck through it
    "sac_policy": {},  # pranz24's SAC GaussianPolicy, TanhTransform, a torch.distributions VAE
    # AdamW's first steps are about lr * sign(grad): float32 sums rounded in another order flip the sign of
    # near-zero gradients (with autocast off the same run agrees to 1e-6)
    "train_tricks": {"rtol": 1e-3},  # accumulation, clipping, warmup, EMA, checkpoint, resume
    # RMSprop(momentum=0.999), as milesial/Pytorch-UNet: its first steps are lr * 10 * sign(grad), and torch's
    # AVX-512 float32 sqrt is 1 ulp off the correctly rounded one for ~0.7% of inputs (numpy's is exact)
    "unet": {"rtol": 1e-2},
    "fgsm": {"rtol": 1e-2},  # pytorch/tutorials' FGSM + a PGD loop: sign() of near-zero input gradients
    # karpathy/build-nanogpt under bfloat16 autocast: steps 0-3 agree to 1e-4, then bfloat16 rounding of a
    # few products diverges (autocast off: the same output to 1e-6)
    "build_nanogpt": {"rtol": 1e-1},
    "moe_kan": {"rtol": 1e-3},  # Mixtral's sparse MoE block; efficient-kan (lstsq: LAPACK gelsd vs gelsy)
    "neural_style_gp": {"rtol": 3e-3},  # pytorch/tutorials' neural style (LBFGS on the image); GP regression
    # lucidrains' SimpleViT/ViT with einops: needs einops on PYTHONPATH (pip download einops --no-deps, unzip)
    "simple_vit_einops": {},
    "mnist_hogwild": {},  # pytorch/examples: share_memory(), two spawned torch.multiprocessing trainers
    # session 33's (tests/test_user_programs_s33.py tests the faults they found; each file's header its source)
    "annotated_transformer": {},  # harvardnlp's copy task: LabelSmoothing (KLDivLoss), Noam LambdaLR, greedy
    "compile_jit_misc": {},  # compile options, stances, jit.script/trace/freeze, jit.isinstance, Attribute
    "char_rnn_sampling": {},  # GRU char model; multinomial/Categorical/top-k/top-p sampling at temperatures
    "triplet_retrieval": {},  # batch-hard triplets, TripletMarginWithDistanceLoss, recall@k
    "ppo_gae_cleanrl": {},  # CleanRL's ppo.py: orthogonal init, GAE, clipped surrogate and value loss
    "imagenet_style": {},  # pytorch/examples imagenet meters, channels_last ResNet, mixup/cutmix, foreach EMA
    "wgan_gp": {},  # caogang/wgan-gp on 8 gaussians: gradient penalty (create_graph), weight clipping
    "glow_flow": {},  # rosinality's Glow blocks: ActNorm, LU 1x1 conv, affine coupling, slogdet, inverse
    # LSTM forecasting + an EmbeddingBag/SparseAdam recommender; its LSTM runs with dropout=0.0: torch draws
    # the inter-layer dropout masks in C++, not from the shared stream, so with dropout the runs part at once
    "lstm_forecast": {},
    # session 34's (tests/test_user_programs_s34.py tests the faults they found; each header its source)
    "benchmark_recipe": {},  # pytorch/tutorials' benchmark recipe: Timer, autoranges, Compare (~3 s)
    "hub_local": {},  # torch.hub.load(source='local') of tests/programs/hubrepo, its errors, a fine-tune
    "d2l_attention_bert": {},  # d2l's masked softmax, attention scoring, multi-head attention, BERT
    "focal_boxes_accum": {},  # torchvision's focal loss and box ops, NMS, accumulation with clipping, KD
    "minbpe_memmap_gpt": {},  # minbpe tokenizer -> uint16 .bin -> np.memmap batches -> nanoGPT-style loop
    "vit_scratch": {},  # einops-free ViT, d2l softmax regression from scratch; also --cuda-as webgpu
    "wavenet_mulaw": {},  # mu-law, causal dilated convolutions, gated residuals, sampling, stft
    "recsys_bpr": {},  # BPR matrix factorisation, NeuMF, EmbeddingBag modes and errors
    "cvae_beta": {},  # conditional beta-VAE: annealing, capacity, kl_divergence, IWAE
    # session 35's (tests/test_user_programs_s35.py tests the faults they found; each header its source)
    "backprop_ninja": {},  # makemore part 4: every gradient by hand, cmp() to autograd's bits (~5 s)
    "mamba_minimal": {},  # johnma2006/mamba-minimal, top-k generate, Heinsen's complex logcumsumexp scan
    # raissi-style PINN: autograd.grad(create_graph), Adam then LBFGS(strong_wolfe); libm's float32 tanh is
    # not SLEEF's, and 20 LBFGS iterations carry that last bit to 2e-4; also --cuda-as webgpu (1.5e-3 there)
    "pinn_burgers": {"rtol": 1e-3},
    "rbm_cd": {},  # two RBM repositories' CD-k and free-energy loss, PCD, exact log Z; also --cuda-as webgpu
    "vqvae_codebooks": {},  # AntixK's VQ-VAE, rosinality's EMA codebook, lucidrains' k-means init
    "self_supervised": {},  # SimCLR's NT_Xent, MoCo's queue, CLIP/SigLIP losses, Barlow Twins, BYOL
    "transforms_by_hand": {},  # torchvision's tensor transforms written out; crop/erase draws
    # DLinear, Autoformer's AutoCorrelation, RevIN + PatchTST, Informer's ProbSparse attention; the query and
    # key biases' exact gradient is 0 (a correlation's shift invariance), so Adam steps them by +-lr on the
    # sign of rounding noise: the printed correlation parts at 4e-4 (the losses agree to 1e-6)
    "ts_forecasting": {"rtol": 1e-3},
    "audio_by_hand": {},  # torchaudio.functional written out: mel, MFCC, deltas, SpecAugment, resample
    "numerical_algorithms": {},  # log-domain Sinkhorn, Kalman + RTS, exact GP, GMM EM, matrix_exp (float64)
    "nerf_tiny": {},  # yenchenlin/nerf-pytorch: rays, embedder, raw2outputs' cumprod, sample_pdf
    "discrete_latents": {},  # Gumbel-softmax VAE (straight-through by scatter_), OpenAI's sparse autoencoders
    "flex_attention_gym": {},  # attention-gym's masks and score mods through flex_attention, on the cpu
    "training_hooks": {},  # optimizer-in-backward, multi-grad hooks, clipping, custom LRScheduler, EMA
    # session 35's second round (tests/test_user_programs_s35b.py tests the faults they found; each header its
    # source)
    "fno_spectral": {},  # zongyi-li's FNO: rfft/irfft2 spectral convolutions, complex weights under Adam
    "complex_networks": {},  # complexPyTorch: cfloat Linear/Conv1d, modReLU, complex BN, Wirtinger, STFT mask
    "hf_generation": {},  # transformers' logits processors, a KV cache, greedy/sampled/beam decoding
    "pyg_message_passing": {},  # PyG's scatter, segment softmax, GCN/GIN/SAGE/GAT, pooling, to_dense_batch
    "metrics_by_hand": {},  # torchmetrics: bincount confusion matrix, ROC/AUROC/AP, ECE, MCC, kappa, R2
    "bayes_by_backprop": {},  # Blundell's BBB (scale-mixture prior), kl_divergence/Independent, MC dropout
    "rnn_utils_tour": {},  # pad/pack/unpack/unpad sequences, their errors, packed LSTM/GRU states
    "classical_ml_linalg": {},  # PCA (svd_flip, pca_lowrank), ZCA, Procrustes, CCA, ridge 4 ways, LDA
    "implicit_layers_es": {},  # the implicit-layers tutorial's DEQ (Anderson, a backward hook); OpenAI ES
    "neural_ca": {},  # growing neural cellular automata: Sobel perception, pool; also --cuda-as webgpu
    "special_functions_science": {},  # torch.special's polynomials, Bessels, zeta, log_ndtr, their gradients
    "ntk_influence": {},  # torch.func's empirical NTK both ways, per-sample grads, HVPs, influence by CG
    "layer_zoo_archs": {},  # SegNet unpooling, ShuffleNet, ESPCN, LRN, GLU, Fold/Unfold, proj_size LSTM
    "custom_ops_extending": {},  # torch.library.custom_op + register_autograd; Functions under torch.func
    # session 36's (tests/test_user_programs_s36.py tests the faults they found; each header its source)
    "mobilenetv3_video": {},  # torchvision's MobileNetV3 blocks, R(2+1)D, ConvTranspose1d, activations
    "exact_resume": {},  # model/optimizer/scheduler/rng/loader-generator checkpoint, resumed runs equal
    "knn_stats_misc": {},  # DINO's kNN with cdist/topk, histogram, nanquantile, gradient, frexp and friends
    "checkpoint_ema_foreach": {},  # checkpoint both ways, timm's ModelEmaV3 (_foreach_ keywords), swa EMA
    "testing_anomaly_functional": {},  # assert_close reports, detect_anomaly, gradcheck, autograd.functional
    "dtype_bits_fp8": {},  # view() bit casts, bfloat16 by integer ops, float8 scaling, the unsigned types
    "distributions_zoo": {},  # Dirichlet, VonMises, LKJCholesky, Kumaraswamy, ... biject_to/transform_to
    "sparse_coo_signal": {},  # COO graph normalisation, sparse softmax/addmm/gradients, torch.signal.windows
    "pytree_strides": {},  # torch.utils._pytree over batches and a registered dataclass, as_strided windows
    "optimizer_zoo": {},  # every optimizer (Adafactor, NAdam, RAdam, ASGD, ...), their hooks and errors
    # session 36's second round (tests/test_user_programs_s36b.py tests the faults they found; each header
    # its source)
    "gp_linalg": {},  # exact GP by cdist kernels and Cholesky solves, Adam on softplus hyperparameters
    "image_warp_sampling": {},  # grid_sample's modes and paddings, antialiased interpolate; also on webgpu
    "distributions_kl_mixtures": {},  # 25 families, mixtures, transform chains, 22 KL pairs, a Beta ELBO
    "recommender_bags": {},  # EmbeddingBag's modes/offsets/weights, SparseAdam, DLRM; also --cuda-as webgpu
    "data_loading_generators": {},  # default_collate's nestings, samplers with generators, random_split
    "stft_resample": {},  # stft/istft round trips with every window, an STFT Wiener mask, sinc resampling
    "clustering_embedding": {},  # k-means++, diagonal GMM EM, t-SNE (float64), UMAP's fuzzy graph, spectral
    "classic_vision": {},  # morphology by max_pool, components, equalisation, bilateral, Canny, Hough, Harris
    "kalman_batched": {},  # batched Kalman + RTS (right solves), scale_tril MVN, Q and R by LBFGS, unscented
    # s36-user3's (tests/test_user_programs_s36c.py; each header its source)
    "pointnet_dgcnn": {"rtol": 2e-3},  # PointNet T-nets + regulariser, DGCNN knn edge features (Adam drift)
    "detr_matcher": {},  # DETR's Hungarian matcher, GIoU, SetCriterion, PostProcess; the view(-1) error
    "hnn_langevin": {},  # Hamiltonian NN (create_graph), RK4, Langevin, SGLD optimizer, HMC leapfrog
    "siren_fourier": {},  # SIREN's init, gradient/laplacian by autograd.grad, random Fourier features
    "unet3d_dice": {},  # 3D U-Net (Conv3d, ConvTranspose3d, trilinear), Dice and generalized Dice losses
    "set_transformer": {},  # Set Transformer's MAB/ISAB/PMA, Deep Sets, a Perceiver with kdim/vdim MHA
    "transformer_xl": {},  # relative attention's _rel_shift, memories, AdaptiveLogSoftmaxWithLoss
    "stylegan2_bits": {},  # upfirdn2d, modulated grouped conv/conv_transpose, R1 and path-length penalties
}


def _start(args, env=None) -> subprocess.Popen:
    full = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    # this tree first; then the caller's path, where a program finds a package the venv lacks (einops)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    full.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=path, **(env or {}))
    return subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=full, cwd=PROGRAMS)


def run_both(name: str, args=(), cuda_as: str | None = None, env=None):
    """(torch's run, pyfront's run) of one program, as CompletedProcesses; both started at once, so the
    two cores share the work."""
    script = str(PROGRAMS / f"{name}.py")
    device = ["--cuda-as", cuda_as] if cuda_as else []
    procs = [_start([str(PROGRAMS / "_torch_same_rng.py"), script, *args], env),
             _start(["-m", "pyfront", "run", *device, script, *args], env)]
    outs = [p.communicate(timeout=600) for p in procs]
    return tuple(subprocess.CompletedProcess(p.args, p.returncode, *out) for p, out in zip(procs, outs))


def _words(line: str) -> list:
    for ch in ",[]()=:":
        line = line.replace(ch, " ")
    return line.split()


def differences(ours: str, theirs: str, rtol: float, atol: float) -> list:
    """The lines that differ: word by word, numbers within the tolerance."""
    a, b = ours.splitlines(), theirs.splitlines()
    out = [] if len(a) == len(b) else [f"{len(a)} lines, torch printed {len(b)}"]
    for la, lb in zip(a, b):
        wa, wb = _words(la), _words(lb)
        same = len(wa) == len(wb)
        for x, y in zip(wa, wb) if same else ():
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                same = same and x == y
                continue
            same = same and (math.isclose(fx, fy, rel_tol=rtol, abs_tol=atol) or (fx != fx and fy != fy))
        if not same:
            out.append(f"pyfront: {la}\n  torch: {lb}")
    return out


@pytest.mark.parametrize("name", sorted(QUICK))
def test_program_prints_torchs_output(name):
    if name in KNOWN:
        pytest.skip(f"stops on a missing API: {KNOWN[name]}")
    spec = QUICK[name]
    theirs, ours = run_both(name, spec.get("args", []), env=spec.get("env"))
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr[-3000:]
    diff = differences(ours.stdout, theirs.stdout, spec.get("rtol", 1e-4), spec.get("atol", 1e-6))
    assert not diff, "\n".join(diff[:10])


if __name__ == "__main__":
    name, *rest = sys.argv[1:]
    cuda_as = None
    if "--cuda-as" in rest:
        cuda_as = rest[rest.index("--cuda-as") + 1]
        rest = [a for a in rest if a not in ("--cuda-as", cuda_as)]
    known = {**QUICK, **SLOW}.get(name, {})
    args, rtol, atol = rest or known.get("args", []), known.get("rtol", 1e-4), known.get("atol", 1e-6)
    if cuda_as:
        rtol, atol = max(rtol, 1e-3), max(atol, 1e-4)
    os.environ.update(known.get("env", {}))
    theirs, ours = run_both(name, args, cuda_as)
    print("torch rc", theirs.returncode, theirs.stderr[-2000:])
    print("pyfront rc", ours.returncode, ours.stderr[-3000:])
    diff = differences(ours.stdout, theirs.stdout, rtol, atol)
    print(theirs.stdout[-1500:] if diff else "", "\n".join(diff[:20]) or "SAME OUTPUT")
