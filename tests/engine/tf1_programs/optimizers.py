"""Each optimiser on the same float64 quadratic: the printed digits show TF1's float32
rounding of Python-float hyper-parameters (learning rate, momentum, decay, epsilon)."""

# rtol: 1e-9
import gaussfit.engine as tf

OPTIMIZERS = [
    ("Adagrad", lambda: tf.train.AdagradOptimizer(0.3)),
    ("RMSProp", lambda: tf.train.RMSPropOptimizer(0.05)),
    ("RMSPropMomentum", lambda: tf.train.RMSPropOptimizer(0.02, decay=0.8, momentum=0.5)),
    ("Adadelta", lambda: tf.train.AdadeltaOptimizer(1.0)),
    ("Momentum", lambda: tf.train.MomentumOptimizer(0.05, 0.9)),
    ("Nesterov", lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)),
    ("Adam", lambda: tf.train.AdamOptimizer(0.1)),
    ("GradientDescent", lambda: tf.train.GradientDescentOptimizer(0.03)),
]
for name, make in OPTIMIZERS:
    graph = tf.Graph()
    with graph.as_default():
        a = tf.Variable(0.0, dtype=tf.float64, name="a")
        b = tf.Variable([0.5, -0.5], dtype=tf.float64, name="b")
        loss = (a - 3.0) ** 2 + 10.0 * tf.reduce_sum((b + 1.0) ** 2) + a * b[0]
        train = make().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(30):
                sess.run(train)
            print(name, repr(float(sess.run(loss))), [repr(float(v)) for v in sess.run(b)])
