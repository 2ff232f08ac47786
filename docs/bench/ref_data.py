#!/usr/bin/env python3
"""Reference-side data-loading benchmark for `prenas bench data` (docs/bench/data.md).

Times Pillow decode + a training transform over the same ImageFolder, one image at a time in this process (one
worker, torch intra-op threads 1), or with a torch DataLoader of N worker processes (--workers N > 1). Two transforms:

  ours  the project's training transform written with torch ops: ToTensor, bilinear resize (align_corners=False,
        no antialias) to size x size, zero pad size//8 on each side, random crop size, random flip, Normalize
        -> like-for-like with `prenas bench data`.
  ref   the reference's training transform (timm create_transform with --aa rand-n3-m10-mstd0.5-inc1,
        re_prob 0.25 pixel mode count 2, bicubic), written with torchvision because timm is not installed:
        RandomResizedCrop(size, scale (0.08, 1), ratio (3/4, 4/3), bicubic), RandomHorizontalFlip,
        RandAugment(num_ops=3, magnitude=10) (torchvision's, not timm's magnitude-noise 'mstd0.5' variant),
        ToTensor, Normalize, RandomErasing(p=0.25, value='random') twice (timm's count 2 draws up to 2 boxes).
        timm skips ColorJitter when auto-augment is set, so there is none here either.

Usage: /usr/bin/python3 ref_data.py --data DIR --transform ours|ref|none --images 500 [--workers 1] --out r.json
"""
import argparse
import json
import os
import random
import time

import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms as T

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def pil_loader(path):  # torchvision.datasets.folder.pil_loader
    with open(path, "rb") as f:
        img = Image.open(f)
        return img.convert("RGB")


class Ours:
    """The project's TransformSpec.of(3, size, true) with torch ops."""

    def __init__(self, size):
        self.size = size
        self.pad = max(1, size // 8)
        self.norm = T.Normalize(MEAN, STD)

    def __call__(self, img):
        x = T.functional.to_tensor(img).unsqueeze(0)
        x = F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False, antialias=False)[0]
        x = F.pad(x, (self.pad,) * 4)
        dy = random.randint(0, 2 * self.pad)
        dx = random.randint(0, 2 * self.pad)
        x = x[:, dy:dy + self.size, dx:dx + self.size]
        if random.random() < 0.5:
            x = x.flip(-1)
        return self.norm(x)


def reference(size):
    bicubic = T.InterpolationMode.BICUBIC
    return T.Compose([
        T.RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), interpolation=bicubic),
        T.RandomHorizontalFlip(),
        T.RandAugment(num_ops=3, magnitude=10, interpolation=T.InterpolationMode.BILINEAR),
        T.ToTensor(),
        T.Normalize(MEAN, STD),
        T.RandomErasing(p=0.25, value="random"),
        T.RandomErasing(p=0.25, value="random"),
    ])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--transform", choices=["ours", "ref", "none"], default="ref")
    p.add_argument("--images", type=int, default=500)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out")
    a = p.parse_args()
    torch.set_num_threads(1)
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    tf = {"ours": Ours(a.size), "ref": reference(a.size), "none": None}[a.transform]
    ds = torchvision.datasets.ImageFolder(a.data, loader=pil_loader, transform=None)
    order = list(range(len(ds)))
    random.Random(a.seed).shuffle(order)
    pick = [order[i % len(order)] for i in range(a.warmup + a.images)]
    result = {"side": "reference", "transform": a.transform, "workers": a.workers, "images": a.images,
              "size": a.size, "cores": os.cpu_count(), "torch": torch.__version__,
              "torchvision": torchvision.__version__, "pillow": Image.__version__}
    if a.workers <= 1:
        for i in pick[:a.warmup]:
            img = pil_loader(ds.samples[i][0])
            if tf:
                tf(img)
        decode = augment = 0.0
        start = time.perf_counter()
        for i in pick[a.warmup:]:
            t0 = time.perf_counter()
            img = pil_loader(ds.samples[i][0])
            t1 = time.perf_counter()
            if tf:
                tf(img)
            t2 = time.perf_counter()
            decode += t1 - t0
            augment += t2 - t1
        seconds = time.perf_counter() - start
        result["decodeMsPerImage"] = decode * 1000 / a.images
        result["transformMsPerImage"] = augment * 1000 / a.images
    else:
        ds.transform = tf if tf else T.ToTensor()
        sub = torch.utils.data.Subset(ds, pick[a.warmup:])
        loader = torch.utils.data.DataLoader(sub, batch_size=32, num_workers=a.workers,
                                             worker_init_fn=lambda _: torch.set_num_threads(1))
        it = iter(loader)
        start = time.perf_counter()  # includes worker start-up, as a training epoch does
        for _ in it:
            pass
        seconds = time.perf_counter() - start
    result["seconds"] = seconds
    result["imagesPerSecond"] = a.images / seconds
    result["imagesPerSecondPerWorker"] = a.images / seconds / max(1, a.workers)
    line = ("ref %s workers %d: %.1f images/s, %.1f per worker" % (a.transform, a.workers, result["imagesPerSecond"],
                                                                  result["imagesPerSecondPerWorker"]))
    if "decodeMsPerImage" in result:
        line += "; decode %.2f ms, transform %.2f ms per image" % (result["decodeMsPerImage"],
                                                                  result["transformMsPerImage"])
    print(line)
    if a.out:
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            json.dump(result, f, indent=2)
        os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
