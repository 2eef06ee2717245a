import { AllinaError } from '../util/errors.js';

/**
 * Loads the training recipe, and with it TensorFlow.js, only when something is about to train:
 * `allina classify`, `eval`, `review` and services never pay its start-up time, and a
 * runtime-only install (`npm install allina --omit=optional`, which leaves TensorFlow.js out)
 * can still run every command that does not train.
 */
export async function importTrainer(): Promise<typeof import('./train-model.js')> {
  try {
    return await import('./train-model.js');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes('@tensorflow')) {
      throw new AllinaError('training needs TensorFlow.js, which this install left out (--omit=optional): run `npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm`');
    }
    throw error;
  }
}
