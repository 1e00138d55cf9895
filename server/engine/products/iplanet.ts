/** iPlanet Messaging Server facts (reference 004). */
export const iplanet = {};
