// Registers aws-sdk-client-mock's matchers (toHaveReceivedCommandWith, …) for every test file.
import 'aws-sdk-client-mock-jest';
