import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../runtime-error';

export interface ConvPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The padding tfjs's forward `Conv2D` used for this configuration, when the replacement kernels support it
 * (stride 1, NHWC, no dilation; 'valid', 'same', a number or explicit padding); otherwise the reason it is not.
 */
export function stride1Padding(
  kernel: string,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Record<string, unknown>,
): { padding: ConvPadding; outHeight: number; outWidth: number } | { unsupported: string } {
  const strides = attrs.strides as number | [number, number];
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  if (sh !== 1 || sw !== 1) return { unsupported: `strides [${sh}, ${sw}] (only stride 1 is implemented)` };
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') return { unsupported: `dataFormat ${dataFormat} (only NHWC is implemented)` };
  const dilations = (attrs.dilations as number | [number, number] | undefined) ?? 1;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) return { unsupported: `dilations [${dh}, ${dw}]` };
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    [1, 1],
    [1, 1],
    attrs.pad as 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { top, bottom, left, right } = info.padInfo;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    throw new RuntimeError(kernel, 'UNSUPPORTED', `expected non-negative padding, got ${JSON.stringify(info.padInfo)}`);
  }
  return { padding: { top, bottom, left, right }, outHeight: info.outHeight, outWidth: info.outWidth };
}

export function explicitPad(p: ConvPadding): tf.backend_util.ExplicitPadding {
  return [
    [0, 0],
    [p.top, p.bottom],
    [p.left, p.right],
    [0, 0],
  ];
}
