/** A rehearsal thread body that fails while loading (render/rehearsal-thread.test.ts). */
throw new Error('the rehearsal modules failed to load');
