// Screenshots are written like every other file the engine writes (see write/atomic-write.ts).
export { writeFileAtomic } from '../write/atomic-write.ts';
