import * as tf from '@tensorflow/tfjs';

let chosen: string | undefined;

/**
 * Picks the fastest TensorFlow.js backend that is installed: the native `tensorflow` backend
 * from the optional `@tensorflow/tfjs-node` when present, otherwise WebAssembly. The plain
 * `cpu` backend is never used for training (about 20x slower than wasm).
 */
export async function initTrainingBackend(): Promise<string> {
  if (chosen) return chosen;
  // The name is in a variable so TypeScript does not require the optional package to exist.
  const nativeBackend = '@tensorflow/tfjs-node';
  try {
    await import(nativeBackend);
    if (await tf.setBackend('tensorflow')) {
      chosen = 'tensorflow';
      return chosen;
    }
  } catch {
    // Not installed (its install step needs a download): fall through to WebAssembly.
  }
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('cannot initialise the TensorFlow.js wasm backend');
  await tf.ready();
  chosen = 'wasm';
  return chosen;
}

export { tf };
