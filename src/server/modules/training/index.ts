export { createTrainingService, type TrainingService } from './training.service.js';
export { trainingRoutes, trainingVerifyPageRoutes } from './training.routes.js';
export { seedTraining, type TrainingSeedResult } from './seed.js';
export { type TrainingProgressFacts, trainingProgressOf } from './efile-facts.js';
