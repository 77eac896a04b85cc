/** A file as its publisher serves it, with its published size and SHA-256. */
export interface PublishedFile {
  readonly url: string;
  /** File name in the cache directory. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Datasets that can be downloaded into the cache directory. */
export type DownloadableName = 'mnist' | 'fashion-mnist' | 'kmnist' | 'cifar10' | 'cifar100';

/**
 * The published files and checksums. Sizes and SHA-256 sums are those TensorFlow Datasets records in
 * github.com/tensorflow/datasets, `tensorflow_datasets/url_checksums/{mnist,fashion_mnist,kmnist,cifar10,cifar100}.txt`
 * (they cannot be computed here: the files are not downloaded while building this package). MNIST is served from
 * the CVDF mirror TFDS uses, since yann.lecun.com no longer serves the files reliably.
 */
export const PUBLISHED_FILES: Readonly<Record<DownloadableName, readonly PublishedFile[]>> = {
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
