export { admission, admissionCheck, describeOrigin } from './admission.js';
