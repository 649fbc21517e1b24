/** Quick replies live with the rest of what staff do (src/staff/quick-replies.ts): WhatsApp replies use them too. */
export { replyText } from '../staff/quick-replies.js';
