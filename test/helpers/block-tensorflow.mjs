// Loaded with `node --import`: any attempt to load TensorFlow.js fails the process, so a test
// can prove that a file or a command never reaches the training tier.
import { register } from 'node:module';

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@tensorflow/')) throw new Error('TensorFlow.js is blocked here, yet ' + (context.parentURL ?? 'the entry') + ' imports ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
